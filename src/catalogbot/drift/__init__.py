"""Content drift: what a page says, reduced to a fingerprint that ignores the web's noise,
and compared with the baseline a maintainer accepted."""
