"""Every route of the app's URL map made concrete, so a new route is checked without anyone
remembering to add it (issue 13, items 12 and 13)."""
from itertools import product

# Files on disk, not views: nothing a name or a fuzzed value reaches.
SKIPPED_ENDPOINTS = {"static"}


def concrete_paths(app, values: dict[str, list], methods=("GET",)) -> list[tuple[str, str, str]]:
    """(method, endpoint, path) for every rule, one path per combination of the given values.

    A rule with an argument missing from `values` fails loudly: the checks must cover it.
    """
    paths = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint)):
        wanted = sorted(set(methods) & rule.methods)
        if rule.endpoint in SKIPPED_ENDPOINTS or not wanted:
            continue
        # A rule's defaults (endpoint="unlock", defaults={"action": "unlock"}) are no part of its path.
        arguments = sorted(set(rule.arguments) - set(rule.defaults or {}))
        missing = set(arguments) - set(values)
        if missing:
            raise KeyError(f"{rule.rule}: no test values for {sorted(missing)}")
        for method in wanted:
            for combination in product(*(values[name] for name in arguments)):
                _domain, path = rule.build(dict(zip(arguments, combination)), append_unknown=False)
                paths.append((method, rule.endpoint, path))
    return paths
