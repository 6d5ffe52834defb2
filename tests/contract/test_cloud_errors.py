"""Client-library exceptions become CloudError codes; bugs stay bugs."""

import pytest
import requests
from aodhclient import exceptions as aodh_exc
from keystoneauth1 import exceptions as ks_exc
from keystoneauth1 import loading
from openstack import exceptions as sdk_exc

from rolling_maintenance.cloud import CloudError
from rolling_maintenance.cloud.errors import from_exception, translated


def sdk_http_error(cls, status, details="nope"):
    response = requests.Response()
    response.status_code = status
    response.request = requests.Request("PUT", "http://127.0.0.1/compute/v2.1/x").prepare()
    return cls(response=response, details=details)


@pytest.mark.parametrize("cls,status,code", [
    (sdk_exc.NotFoundException, 404, "not_found"),
    (sdk_exc.ConflictException, 409, "conflict"),
    (sdk_exc.ForbiddenException, 403, "forbidden"),
    (sdk_exc.BadRequestException, 400, "bad_request"),
    (sdk_exc.HttpException, 503, "unavailable"),
    (sdk_exc.HttpException, 500, "unavailable"),
    (sdk_exc.HttpException, 418, "cloud_error"),
])
def test_sdk_http_errors_map_by_status(cls, status, code):
    error = from_exception(sdk_http_error(cls, status), server="s1")
    assert error.code == code
    assert error.message == ("nova: PUT /compute/v2.1/x answered 503 for 180 s: nope"
                             if status == 503 else "nope")
    assert error.details["status"] == status
    assert error.details["method"] == "PUT"
    assert error.details["server"] == "s1"


def test_aodh_errors_map_by_status():
    exc = aodh_exc.NotFound(message="Alarm a1 not found", url="/v2/alarms/a1", method="DELETE")
    error = from_exception(exc)
    assert (error.code, error.message, error.details["status"]) == (
        "not_found", "Alarm a1 not found", 404)
    assert from_exception(aodh_exc.Conflict()).code == "conflict"
    unavailable = aodh_exc.ClientException(message="down", url="/v2/alarms", method="GET")
    unavailable.http_status = 503  # as aodhclient's from_response sets it for a status it has no class for
    outage = from_exception(unavailable)
    assert outage.message == "aodh: GET /v2/alarms answered 503 for 180 s: down"


def test_an_answer_retried_for_the_whole_bound_names_service_call_status_and_time(monkeypatch):
    monkeypatch.setenv("ROLLING_MAINTENANCE_CLOUD_RETRY_S", "30")
    response = requests.Response()
    response.status_code = 504
    response.request = requests.Request(
        "GET", "http://10.0.0.5:8778/resource_providers?name=c1").prepare()
    error = from_exception(sdk_exc.HttpException(response=response, details="gateway"))
    assert error.message == "placement: GET /resource_providers answered 504 for 30 s: gateway"
    # A POST answered 502 was not retried (it may have been carried out): no time claimed.
    response.request = requests.Request("POST", "http://10.0.0.5:8774/v2.1/servers/s/action").prepare()
    response.status_code = 502
    assert from_exception(sdk_exc.HttpException(response=response, details="bad")).message == "bad"


def test_keystoneauth_errors():
    assert from_exception(ks_exc.Unauthorized()).code == "unauthorized"
    refused = from_exception(ks_exc.ConnectFailure(
        "Unable to establish connection to http://127.0.0.1:9/alarming/v2/alarms: refused"))
    assert refused.code == "unavailable"
    assert refused.message.startswith("aodh: /alarming/v2/alarms unreachable for 180 s: ")
    missing = ks_exc.MissingRequiredOptions([loading.Opt("auth-url")])
    error = from_exception(missing)
    assert error.code == "no_credentials"
    assert error.details["missing"] == ["auth_url"]
    assert "auth_url" in error.message


def test_sdk_misc_errors():
    assert from_exception(sdk_exc.ResourceTimeout("slow")).code == "timeout"
    missing_cloud = sdk_exc.ConfigException("Cloud x was not found.")
    assert from_exception(missing_cloud).code == "no_credentials"
    assert from_exception(sdk_exc.SDKException("odd")).code == "cloud_error"


def test_to_dict_is_plain_data():
    error = CloudError("migration_failed", "ended in error", {"server": "s1", "status": "error"})
    assert error.to_dict() == {"code": "migration_failed", "message": "ended in error",
                               "details": {"server": "s1", "status": "error"}}
    error.to_dict()["details"]["server"] = "changed"
    assert error.details["server"] == "s1"
    assert str(error) == "migration_failed: ended in error"


def test_translated_wraps_library_errors_and_keeps_the_cause():
    with pytest.raises(CloudError) as info:
        with translated(host="compute-0"):
            raise sdk_http_error(sdk_exc.NotFoundException, 404)
    assert info.value.code == "not_found"
    assert info.value.details["host"] == "compute-0"
    assert isinstance(info.value.__cause__, sdk_exc.NotFoundException)


def test_translated_lets_bugs_through():
    with pytest.raises(KeyError):
        with translated():
            raise KeyError("bug")
    original = CloudError("conflict", "already")
    with pytest.raises(CloudError) as info:
        with translated():
            raise original
    assert info.value is original
