"""Chinese search without a segmenter or an extension: the text is indexed as overlapping
character bigrams (森林火灾 → 森林 林火 火灾 灾), Latin letters and digits as words, by the SQL
function `search_document(text) → tsvector` (migration 0001), and each searchable table has a GIN
index on that function of its searched columns. pg_trgm would do the same job but is not in the
embedded PostgreSQL this platform runs on; bigrams in a tsvector need nothing beyond core
PostgreSQL, so a fresh clone, the test suite and production index alike.

A query is cut the same way (`tsquery`): every bigram must be there, a single Chinese character
or a Latin/digit word matches as a prefix. The index finds the candidates; an `ILIKE` on the same
text then keeps exactly those containing each word of the query as typed."""
from __future__ import annotations

import re

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUNS = re.compile(f"[{CJK}]+|[0-9a-z]+")
_IS_CJK = re.compile(f"[{CJK}]")
MAX_QUERY = 100

# Kept in step with `terms()` below: what a text's lexemes are.
FUNCTION_SQL = rf"""
CREATE OR REPLACE FUNCTION search_document(t text) RETURNS tsvector
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE grams text[] := '{{}}'; c text; prev text := ''; word text := '';
BEGIN
  FOREACH c IN ARRAY regexp_split_to_array(lower(t), '') LOOP
    IF c ~ '[{CJK}]' THEN
      IF word <> '' THEN grams := grams || word; word := ''; END IF;
      IF prev <> '' THEN grams := grams || (prev || c); END IF;
      prev := c;
    ELSE
      IF prev <> '' THEN grams := grams || prev; prev := ''; END IF;
      IF c ~ '[0-9a-z]' THEN word := word || c;
      ELSIF word <> '' THEN grams := grams || word; word := ''; END IF;
    END IF;
  END LOOP;
  IF prev <> '' THEN grams := grams || prev; END IF;
  IF word <> '' THEN grams := grams || word; END IF;
  RETURN array_to_tsvector(grams);
END $$;
"""


def words(query: str) -> list[str]:
    """The words of a query as typed (for the exact check), at most MAX_QUERY characters."""
    return [w for w in query[:MAX_QUERY].split() if _RUNS.search(w.lower())]


def terms(query: str) -> list[str]:
    """The tsquery terms of a query: bigrams of each Chinese run (a single character as a
    prefix), each Latin/digit word as a prefix."""
    found: list[str] = []
    for run in _RUNS.findall(query[:MAX_QUERY].lower()):
        if _IS_CJK.match(run):
            if len(run) == 1:
                found.append(f"'{run}':*")
            else:
                found.extend(f"'{run[i:i + 2]}'" for i in range(len(run) - 1))
        else:
            found.append(f"'{run}':*")
    return list(dict.fromkeys(found))


def tsquery(query: str) -> str:
    return " & ".join(terms(query))


def like(word: str) -> str:
    return "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
