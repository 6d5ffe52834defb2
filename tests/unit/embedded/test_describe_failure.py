from mistralclient.api import base

from rolling_maintenance.embedded.cli import describe_failure


def test_an_api_error_without_text_still_names_its_kind_and_status():
    exc = base.APIException(error_code=500, error_message=None)
    assert describe_failure(exc) == "APIException (HTTP 500): no message"


def test_an_api_error_keeps_its_text():
    exc = base.APIException(error_code=409, error_message="Workbook already exists")
    assert describe_failure(exc) == "APIException (HTTP 409): Workbook already exists"


def test_any_other_error_is_named_with_its_text():
    assert describe_failure(OSError("refused")) == "OSError: refused"
