"""The feedback page in a real browser: Debian's chromium, headless (installed by ``.ci/setup``).

The page of ``autograder/samples/student`` is opened with every host name resolving to nothing
(``--host-resolver-rules``: nothing can leave the machine) and chromium's network log on: the
DOM after loading has every function's section and an inline plot, no address outside the page,
and the log shows no request made by the page (chromium's own background requests have no page
origin; a page that asks for an image and a script is the control that the log sees them). The
screenshot of the tanh_grad section shows the shading between the slide's 1 - σ² and the true
derivative; sigmoid's, correct, has none.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest

from autograder.contract import FUNCTIONS
from autograder.core.page import page
from helpers import ROOT, grade, kit_context

SAMPLE = ROOT / "autograder" / "samples" / "student"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PLOTTED = {f.qualified for f in FUNCTIONS if f.module != "metrics"}
SHADE = np.array([251, 221, 170])  # figures.DIFFER (#f59e0b) at alpha 0.35 over white
STUDENT_LINE = np.array([220, 38, 38])  # figures.STUDENT (#dc2626)


@pytest.fixture(scope="module")
def chromium():
    if CHROMIUM is None:
        if os.geteuid() == 0:  # .ci/setup installs it where it can: its absence there is a defect
            pytest.fail("chromium is not installed: run bash .ci/setup")
        pytest.skip("chromium is not installed and this user cannot install it (bash .ci/setup as root does)")
    return CHROMIUM


@pytest.fixture(scope="module")
def page_file(tmp_path_factory) -> Path:
    report = grade(SAMPLE, kit_context().with_(plots=True))
    path = tmp_path_factory.mktemp("page") / "page.html"
    path.write_text(page(report, "pt"), encoding="utf-8")
    return path


def browse(chromium: str, folder: Path, url: str, *action: str) -> tuple[subprocess.CompletedProcess, list[str]]:
    """Run headless chromium on ``url`` with ``action`` (--dump-dom, --screenshot=...), offline;
    returns the run and the http(s) addresses the page itself asked for (from the network log)."""
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / "netlog.json"
    flags = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
             f"--user-data-dir={folder / 'profile'}", "--host-resolver-rules=MAP * ~NOTFOUND",
             f"--log-net-log={log}", "--net-log-capture-mode=Default"]
    done = subprocess.run(flags + list(action) + [url], capture_output=True, text=True, timeout=120)
    return done, page_requests(log)


def page_requests(log: Path) -> list[str]:
    """The addresses requested by a page (an initiator origin; the browser's own requests have
    "not an origin")."""
    data = json.loads(log.read_text(encoding="utf-8"))
    names = {code: name for name, code in data["constants"]["logEventTypes"].items()}
    found = []
    for event in data["events"]:
        params = event.get("params") or {}
        if names.get(event["type"]) == "URL_REQUEST_START_JOB" and params.get("initiator") != "not an origin":
            if str(params.get("url", "")).startswith(("http:", "https:", "ws:", "wss:", "ftp:")):
                found.append(params["url"])
    return found


class Page(HTMLParser):
    """The sections of the DOM (data-function), the SVGs in each, every src/href/xlink:href."""

    def __init__(self) -> None:
        super().__init__()
        self.sections: dict[str, int] = {}
        self.addresses: list[str] = []
        self._current: str | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = dict(attrs)
        if tag == "section" and "data-function" in attributes:
            self._current = attributes["data-function"]
            self.sections[self._current] = 0
        if tag == "svg" and self._current:
            self.sections[self._current] += 1
        self.addresses += [v for k, v in attrs if k in ("src", "href", "xlink:href", "action", "srcset") and v]


def test_page_renders_offline_with_every_section_and_plot(chromium, page_file, tmp_path):
    done, requests = browse(chromium, tmp_path / "page", page_file.as_uri(), "--dump-dom")
    assert done.returncode == 0, done.stderr[-2000:]
    dom = Page()
    dom.feed(done.stdout)
    functions = {f.qualified for f in FUNCTIONS}
    assert set(dom.sections) == functions
    assert {f for f, svgs in dom.sections.items() if svgs} == PLOTTED
    assert dom.addresses and all(a.startswith("#") for a in dom.addresses), \
        [a for a in dom.addresses if not a.startswith("#")]
    assert requests == []
    # the control: a page that asks for outside files is seen asking
    control = tmp_path / "control.html"
    control.write_text('<html><body><img src="http://example.invalid/x.png">'
                       '<script src="https://cdn.example.invalid/x.js"></script></body></html>')
    _, seen = browse(chromium, tmp_path / "control", control.as_uri(), "--dump-dom")
    assert sorted(seen) == ["http://example.invalid/x.png", "https://cdn.example.invalid/x.js"]


def _pixels(png: Path) -> np.ndarray:
    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(png.read_bytes())).convert("RGB"), dtype=int)


def _count(pixels: np.ndarray, colour: np.ndarray, within: int = 12) -> int:
    return int((np.abs(pixels - colour).max(axis=2) <= within).sum())


def test_tanh_grad_plot_shows_the_slides_mistake_shaded(chromium, page_file, tmp_path):
    shots = {}
    for function in ("tanh_grad", "sigmoid"):
        png = tmp_path / f"{function}.png"
        done, requests = browse(chromium, tmp_path / function, f"{page_file.as_uri()}#f-activations-{function}",
                                "--window-size=900,700", f"--screenshot={png}")
        assert done.returncode == 0 and png.is_file(), done.stderr[-2000:]
        assert requests == []
        shots[function] = _pixels(png)
    tanh, sigmoid = shots["tanh_grad"], shots["sigmoid"]
    assert tanh.shape == (700, 900, 3)
    assert _count(tanh, STUDENT_LINE) > 200 and _count(sigmoid, STUDENT_LINE) > 200  # both curves drawn
    # the slide's 1 - σ(z)² differs from 1 - tanh(z)² over most of the range: a large shaded area
    assert _count(tanh, SHADE) > 5000, _count(tanh, SHADE)
    assert _count(sigmoid, SHADE) == 0
