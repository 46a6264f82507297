"""The catalog health page: a history of runs kept small for years, and a static site.

``runs`` reads one results file, ``history`` stores every run compactly, ``figures``
turns the history into what people read (status, since when, uptime), and ``pages``
with ``build`` write plain HTML that needs no script and no other site.
"""
