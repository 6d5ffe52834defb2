"""Check each of Mistral's DSL schemas against the metaschema once, not per spec.

Mistral validates every part of a workbook with `jsonschema.validate()`,
which first re-checks Mistral's own constant schema against the JSON Schema
metaschema: for our workbook that is over 90 % of the parse (seconds per
upload and per lint). Validation of the workbook itself is unchanged.
"""

import jsonschema

_checked = set()


def _validate(instance, schema, cls=None, *args, **kwargs):
    if cls is None:
        cls = jsonschema.validators.validator_for(schema)
    key = (cls, repr(schema))
    if key not in _checked:
        cls.check_schema(schema)
        _checked.add(key)
    error = jsonschema.exceptions.best_match(cls(schema, *args, **kwargs).iter_errors(instance))
    if error is not None:
        raise error


def install():
    """Make Mistral's DSL parser use the once-per-schema check."""
    from mistral.lang import base

    base.jsonschema = _JsonschemaWithFastValidate()


class _JsonschemaWithFastValidate:
    """The jsonschema module as Mistral's parser sees it, but for `validate`."""

    validate = staticmethod(_validate)

    def __getattr__(self, name):
        return getattr(jsonschema, name)
