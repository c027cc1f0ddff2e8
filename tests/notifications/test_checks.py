from django.core.checks import run_checks

from notifications.checks import push_endpoints_check, push_platforms_check


def _ids() -> list[str]:
    return [message.id for message in push_platforms_check(None)]


def test_a_complete_setup_and_a_platform_left_out_on_purpose_are_silent(native_platforms):
    assert _ids() == []
    native_platforms.FCM_CREDENTIALS_FILE = native_platforms.FCM_PROJECT_ID = ""
    native_platforms.APNS_KEY_FILE = native_platforms.APNS_KEY_ID = native_platforms.APNS_TEAM_ID = ""
    native_platforms.VAPID_PRIVATE_KEY = native_platforms.VAPID_PUBLIC_KEY = ""
    assert _ids() == []


def test_missing_vapid_keys_and_half_configured_native_platforms_are_reported(native_platforms, tmp_path):
    native_platforms.VAPID_PRIVATE_KEY = ""
    native_platforms.FCM_CREDENTIALS_FILE = str(tmp_path / "nicht-da.json")
    native_platforms.APNS_KEY_ID = ""
    assert _ids() == ["notifications.W001", "notifications.W002", "notifications.W003"]
    deploy_ids = {message.id for message in run_checks(include_deployment_checks=True)}
    assert {"notifications.W001", "notifications.W002", "notifications.W003"} <= deploy_ids


def test_the_endpoint_allow_list_is_reported_when_empty_or_naming_addresses_and_local_hosts_when_set(settings):
    settings.PUSH_ENDPOINT_LOCAL_HOSTS = []
    assert push_endpoints_check(None) == []
    settings.PUSH_ENDPOINT_ALLOW_HOSTS = ["fcm.googleapis.com", "10.0.0.8"]
    assert [message.id for message in push_endpoints_check(None)] == ["notifications.W004"]
    settings.PUSH_ENDPOINT_ALLOW_HOSTS = []
    settings.PUSH_ENDPOINT_LOCAL_HOSTS = ["127.0.0.1"]
    assert [message.id for message in push_endpoints_check(None)] == ["notifications.W004", "notifications.W005"]
