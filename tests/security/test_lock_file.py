"""Reproducible installs: requirements.lock pins every package, and it is what is installed."""

import re
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;#]+)$")


def _lock() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        match = PIN.match(line)
        assert match, f"requirements.lock: “{line}” is not an exact pin (name==version)"
        pins[canonicalize_name(match.group(1))] = match.group(2)
    return pins


def _declared() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    names = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        names.extend(extra)
    return [Requirement(r) for r in names]


def test_every_line_is_an_exact_pin_and_nothing_is_editable_or_from_a_url():
    assert len(_lock()) > 20


def test_every_declared_dependency_is_pinned_within_its_range():
    pins = _lock()
    for requirement in _declared():
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement.name} is in pyproject.toml but not in requirements.lock"
        assert requirement.specifier.contains(pins[name], prereleases=True), (
            f"requirements.lock pins {requirement.name}=={pins[name]}, outside {requirement.specifier}"
        )


def test_the_installed_packages_are_the_pinned_versions():
    mismatches = []
    for name, version in _lock().items():
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            mismatches.append(f"{name}=={version} is not installed")
            continue
        if installed != version:
            mismatches.append(f"{name}: installed {installed}, locked {version}")
    assert not mismatches, "run `make install` (or `make lock` after changing pyproject.toml):\n" + "\n".join(mismatches)
