"""A captured article and its later rewrite, for the drift tests (text written for them)."""

from __future__ import annotations

ARTICLE = (
    "<html><body><nav>Home | About</nav><article><h1>Learning for freedom</h1>"
    + "".join(
        f"<p>Paragraph {i}: schools that teach people to think for themselves "
        f"make citizens who can govern themselves, argued the author.</p>"
        for i in range(8)
    )
    + "</article></body></html>"
)
REWRITTEN = ARTICLE.replace(
    "schools that teach people to think for themselves",
    "markets reward whoever moves fastest and asks least",
)
