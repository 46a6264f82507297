"""What a maintainer should do about a result, in plain words."""

from __future__ import annotations

from catalogbot.check.result import CheckResult, Status

_BROKEN_ADVICE = {
    "dns": "The web address's domain no longer exists. Search for the resource by its "
    "title; if it has moved, put the new address in catalog.yaml, otherwise remove the entry.",
    "parked": "The domain has lapsed and now shows a parking or for-sale page. Find where "
    "the publisher moved the resource, or remove the entry.",
    "soft_404": "The page answers, but it is the site's 'not found' page or its home page. "
    "Find the resource's new address on the site, or remove the entry.",
    "blocked_address": "The address points into a private network, which catalogbot never "
    "contacts. Use the resource's public address.",
    "video_unavailable": "The video was removed or made private. Find another copy from the "
    "publisher, or remove the entry.",
    "tls": "The site's security certificate is not valid, so browsers warn visitors too. "
    "Tell the publisher, or link to another copy of the resource.",
    "timeout": "The site did not answer in time, several times in a row. If it stays this "
    "way, find another copy of the resource.",
}


def advice(result: CheckResult) -> str:
    """One or two sentences on what to do next."""
    if result.status == Status.REDIRECTED and result.suggested_url:
        return (
            "The resource has moved for good. Replace the URL in catalog.yaml with the new "
            "address (catalogbot opens a pull request that does this)."
        )
    if result.status == Status.DRIFTED:
        return (
            "The page changed a lot since it was last reviewed. Open it and decide: if it is "
            "still the right resource, accept the change (`catalogbot accept "
            f"{result.id}` or merge the bot's snapshot pull request); if not, find the "
            "resource's new address."
        )
    if result.status == Status.UNVERIFIABLE:
        return (
            "The site refuses automated checks, so catalogbot cannot tell. Open the link in "
            "a browser once in a while."
        )
    if result.status == Status.BROKEN:
        if result.relocation is not None:
            return (
                "The resource was found at a new address on the same site, with the text "
                "that was reviewed. Check it and replace the URL in catalog.yaml."
            )
        if result.reason in _BROKEN_ADVICE:
            return _BROKEN_ADVICE[result.reason]
        return (
            "Open the link to confirm. Search for the resource by its title; if it has moved, "
            "put the new address in catalog.yaml, otherwise remove the entry or ask the "
            "publisher."
        )
    return ""
