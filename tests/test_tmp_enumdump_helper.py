import collections, json
import pytest

@pytest.mark.django_db
def test_dump():
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.settings import spectacular_settings
    old = spectacular_settings.POSTPROCESSING_HOOKS
    spectacular_settings.POSTPROCESSING_HOOKS = []
    try:
        schema = SchemaGenerator().get_schema(request=None, public=True)
    finally:
        spectacular_settings.POSTPROCESSING_HOOKS = old
    names = collections.defaultdict(lambda: collections.defaultdict(list))
    for cname, c in schema["components"]["schemas"].items():
        for fname, p in (c.get("properties") or {}).items():
            p2 = p.get("items", p)
            for q in [p2] + p2.get("oneOf", []) + p2.get("allOf", []):
                if "enum" in q:
                    names[fname][json.dumps([x for x in q["enum"] if x not in ("", None)])].append(cname)
    out = {}
    for f in ["grade", "kind", "level", "owner_kind", "reason", "state", "status"]:
        out[f] = {ch: sorted(set(comps)) for ch, comps in names[f].items()}
    open("/tmp/enumdump.json", "w").write(json.dumps(out, indent=1, ensure_ascii=False))
