"""Import directions between the apps of the `trygg` package, as docs/architecture.md states them.

`ALLOWED` below is the section "Import directions" of docs/architecture.md written as data,
plus the planned edges of the `cases` app. Each entry names an app (`"accounts"`: any of its
modules) or one module of it (`"referrals.permissions"`: that module and anything below it).
Any import of a Trygg app that is not listed is refused; an app may always import itself.

What is read, with `ast` only (no module is imported):

- every `.py` file under `trygg/`, migrations and management commands included, except the tests:
  files in a `tests/` directory and `conftest.py` files may import whatever they need to set up
  their data, so the directions do not apply to them;
- every form of import: `import trygg.x`, `from trygg.x import y`, `from trygg import x`,
  relative imports, and imports inside functions (those run too, only later);
- imports under `if TYPE_CHECKING:` never run. They are still checked, against `ALLOWED` and
  `TYPE_ONLY`: an edge that exists for the type checker only must be listed as such.

The top-level modules of `trygg` (`PROJECT_MODULES`: settings, URLs, the entry points, the
benchmarks and the test helpers) are the project level: they may import any app, and no app may
import them. Links by name (a dotted path in `include()`, a URL name in `reverse()`, a template
name) are not imports and are not checked here.

The second test keeps the table itself honest: its run-time edges between apps form no cycle
(the architecture stays a DAG), every app it names is in it, and nothing imports the apps the
document says nothing imports.
"""

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

TRYGG_DIR = Path(__file__).resolve().parents[2]
ROOT_DIR = TRYGG_DIR.parent
DOC = 'docs/architecture.md, "Import directions"'

# Top-level modules of trygg/: the project level, which may import any app.
PROJECT_MODULES = frozenset(
    {
        "__init__",
        "__main__",
        "asgi",
        "bench",
        "settings",
        "test_settings",
        "testing",
        "urls",
        "wsgi",
    }
)

# App -> what it may import at run time (docs/architecture.md, "Import directions").
ALLOWED: dict[str, frozenset[str]] = {
    # "lib → no trygg app at run time" (a plain helper package, not an app).
    "lib": frozenset(),
    # The bullet says "no trygg app", the table "audit: yes (unused yet)", and "every app may
    # import audit": audit is allowed.
    "jurisdictions": frozenset({"audit"}),
    # "Django and the standard library only."
    "audit": frozenset(),
    # "it knows no other app, and its callers audit their own reads and writes".
    "vault": frozenset({"lib"}),
    "accounts": frozenset({"audit", "jurisdictions", "lib"}),
    "clients": frozenset({"accounts", "vault", "audit", "lib"}),
    # The document also plans "consent → cases", but the cases app being added now imports
    # consent (cases → consent), and both edges would make a cycle: consent → cases is not listed.
    "consent": frozenset({"accounts", "audit"}),
    "referrals": frozenset(
        {"clients", "consent", "accounts", "vault", "audit", "jurisdictions", "lib", "cases"}
    ),
    "web": frozenset(
        {
            "accounts",
            "clients.permissions",  # the menu's permission check only
            "referrals.permissions",  # the menu
            "cases.permissions",  # the menu (planned with cases)
            "audit",
            "jurisdictions",
            "lib",
        }
    ),
    "api": frozenset(
        {
            "referrals.services",  # services, permissions, models: another door to the same
            "referrals.permissions",  # service functions
            "referrals.models",
            "consent.services",  # GivenConsent
            "consent.models",  # the consent choices
            "clients.models",  # CODE_PATTERN only
            "accounts.models",
            # The document names administered_organisations; api/manage_views.py also uses
            # is_administrator from the same module.
            "accounts.permissions",
            "accounts.decorators",
            "audit",
            "lib",
        }
    ),
    # The table says public → audit "no": the public side has no database.
    "public": frozenset(
        {
            "jurisdictions",
            "lib",
            "referrals.services",  # the self-referral form (public/selfreferral.py)
            "referrals.contact",
        }
    ),
    # Planned; being added now.
    "cases": frozenset(
        {"accounts", "clients", "consent", "jurisdictions", "vault", "audit", "lib"}
    ),
    # Planned: "the one consent gate that every disclosure passes".
    "disclosures": frozenset({"consent", "cases", "audit"}),
    # Planned: "statistics → cases (read-only facts)".
    "statistics": frozenset({"cases", "audit"}),
}

# App -> what it may import only under `if TYPE_CHECKING:`, for annotations.
TYPE_ONLY: dict[str, frozenset[str]] = {
    # lib/http.py: AuthenticatedHttpRequest.user: User; lib/content.py: the Profile it is given
    "lib": frozenset({"accounts.models", "jurisdictions.profiles"}),
}

# "Nothing imports `web`", "Nothing imports `api`", "Nothing imports `public`".
IMPORTED_BY_NOTHING = frozenset({"web", "api", "public"})

# Cycles between apps that the document allows, as sets of apps: none.
ALLOWED_CYCLES: frozenset[frozenset[str]] = frozenset()


@dataclass(frozen=True)
class Import:
    line: int
    module: str  # absolute and dotted: "trygg.referrals.permissions"
    type_only: bool


def is_module(dotted: str) -> bool:
    path = ROOT_DIR.joinpath(*dotted.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


class ImportCollector(ast.NodeVisitor):
    """Every import of a `trygg` module in one file, wherever it stands."""

    def __init__(self, module: str, is_package: bool) -> None:
        self.package = module if is_package else module.rpartition(".")[0]
        self.imports: list[Import] = []
        self.type_checking = False

    def visit_If(self, node: ast.If) -> None:
        if not is_type_checking(node.test):
            self.generic_visit(node)
            return
        outer, self.type_checking = self.type_checking, True
        for child in node.body:
            self.visit(child)
        self.type_checking = outer
        for child in node.orelse:
            self.visit(child)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self.add(node, alias.name)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level:
            parts = self.package.split(".")
            base = ".".join(parts[: len(parts) - (node.level - 1)])
            base = f"{base}.{node.module}" if node.module else base
        else:
            base = node.module or ""
        for alias in node.names:
            # `from trygg.referrals import permissions` imports the module referrals.permissions;
            # `from trygg.referrals.models import Referral` imports referrals.models.
            candidate = f"{base}.{alias.name}"
            self.add(node, candidate if alias.name != "*" and is_module(candidate) else base)

    def add(self, node: ast.stmt, module: str) -> None:
        if module == "trygg" or module.startswith("trygg."):
            self.imports.append(Import(node.lineno, module, self.type_checking))


def imports_in(source: str, module: str, is_package: bool = False) -> list[Import]:
    collector = ImportCollector(module, is_package)
    collector.visit(ast.parse(source))
    return collector.imports


def checked_files() -> Iterator[Path]:
    for path in sorted(TRYGG_DIR.rglob("*.py")):
        relative = path.relative_to(TRYGG_DIR)
        if "tests" in relative.parts[:-1] or path.name == "conftest.py":
            continue
        yield path


def app_of(module: str) -> str:
    """The app of a dotted module below trygg ("referrals.models" -> "referrals")."""
    return module.partition(".")[0]


def permits(entries: frozenset[str], target: str) -> bool:
    return any(target == entry or target.startswith(f"{entry}.") for entry in entries)


def rule(app: str) -> str:
    if app not in ALLOWED:
        return f"`{app}` may import: nothing, it has no entry in ALLOWED (add one, and document it)"
    text = f"`{app}` may import: {', '.join(sorted(ALLOWED[app])) or 'no trygg app'}"
    if TYPE_ONLY.get(app):
        text += f"; for types only, under TYPE_CHECKING: {', '.join(sorted(TYPE_ONLY[app]))}"
    return text


def violations() -> Iterator[str]:
    for path in checked_files():
        relative = path.relative_to(ROOT_DIR)
        dotted = ".".join(relative.with_suffix("").parts)
        is_package = path.name == "__init__.py"
        if is_package:
            dotted = dotted.removesuffix(".__init__")
        inside = path.relative_to(TRYGG_DIR).parts
        if len(inside) == 1:
            if path.stem not in PROJECT_MODULES:
                yield (
                    f"{relative}: a top-level module of trygg that is neither in PROJECT_MODULES "
                    "nor in an app: move it into an app, or add it to PROJECT_MODULES"
                )
            continue  # the project level may import any app
        app = inside[0]
        for found in imports_in(path.read_text(encoding="utf-8"), dotted, is_package):
            target = found.module.removeprefix("trygg").removeprefix(".")
            if target and app_of(target) == app:
                continue
            # An empty target is the package `trygg` itself: project level, like trygg.settings.
            entries = ALLOWED.get(app, frozenset())
            if found.type_only:
                entries |= TYPE_ONLY.get(app, frozenset())
            if target and permits(entries, target):
                continue
            how = " for types only (under TYPE_CHECKING)" if found.type_only else ""
            yield f"{relative}:{found.line} imports {found.module}{how}: {rule(app)}"


def test_every_import_follows_the_documented_directions() -> None:
    assert any(True for _ in checked_files()), f"no .py file found under {TRYGG_DIR}"
    refused = list(violations())
    if refused:
        table = Path(__file__).resolve().relative_to(ROOT_DIR)
        pytest.fail(
            f"Imports that {DOC} does not allow (the table ALLOWED in {table}):\n"
            + "\n".join(refused),
            pytrace=False,
        )


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of `graph` as a path that ends where it starts, or None."""
    state: dict[str, str] = {}  # "open" while on the path, "done" after
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = "open"
        path.append(node)
        for successor in sorted(graph.get(node, ())):
            if state.get(successor) == "open":
                return [*path[path.index(successor) :], successor]
            if successor not in state and (cycle := visit(successor)):
                return cycle
        path.pop()
        state[node] = "done"
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_the_table_is_a_dag_of_known_apps() -> None:
    # Run-time edges only: an import for the type checker never runs, and the document allows
    # lib's one (lib → accounts.models) although accounts imports lib.
    graph = {app: {app_of(entry) for entry in entries} - {app} for app, entries in ALLOWED.items()}
    named = {
        (app, app_of(entry))
        for table in (ALLOWED, TYPE_ONLY)
        for app, entries in table.items()
        for entry in entries
    }
    unknown = sorted(f"{app} → {target}" for app, target in named if target not in ALLOWED)
    assert not unknown, f"ALLOWED names apps that have no entry of their own: {sorted(unknown)}"
    forbidden = sorted(
        f"{app} → {target}"
        for app, targets in graph.items()
        for target in targets & IMPORTED_BY_NOTHING
    )
    assert not forbidden, f"{DOC} says nothing imports {sorted(IMPORTED_BY_NOTHING)}: {forbidden}"
    for allowed in ALLOWED_CYCLES:  # an allowed cycle is ignored by dropping its edges
        for app in allowed:
            graph[app] -= allowed
    cycle = find_cycle(graph)
    assert cycle is None, f"ALLOWED has a cycle between apps: {' → '.join(cycle or [])}"


def test_the_collector_sees_every_form_of_import() -> None:
    source = """
from typing import TYPE_CHECKING
import trygg.audit.services
from trygg.referrals import permissions as referral_permissions, services
from trygg.clients.models import Person
from trygg import consent
from . import helpers
from ..vault import vault
import django.db
if TYPE_CHECKING:
    from trygg.accounts.models import User
else:
    import trygg.lib.http
def later():
    from trygg.jurisdictions.profiles import get_profile
"""
    found = imports_in(source, "trygg.web.context_processors")
    assert [(item.module, item.type_only) for item in found] == [
        ("trygg.audit.services", False),
        ("trygg.referrals.permissions", False),
        ("trygg.referrals.services", False),
        ("trygg.clients.models", False),
        ("trygg.consent", False),
        ("trygg.web", False),  # `helpers` is no module of trygg.web: the package itself
        ("trygg.vault.vault", False),
        ("trygg.accounts.models", True),
        ("trygg.lib.http", False),
        ("trygg.jurisdictions.profiles", False),
    ]
    assert [item.line for item in found] == [3, 4, 4, 5, 6, 7, 8, 11, 13, 15]
    assert permits(ALLOWED["web"], "referrals.permissions")
    assert not permits(ALLOWED["web"], "referrals.services")
    assert not permits(ALLOWED["web"], "referrals")
