//! End-to-end tests of the generated `genesys-cloud-tokens` client against a
//! real HTTP server on 127.0.0.1 (wiremock).
//!
//! Every mock uses exact matchers and `.expect(n)`, so a test fails when the
//! client sends anything other than the expected request. Where matchers
//! cannot say it (no body, raw URL path), the received requests are inspected.

use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDate, Utc};
use genesys_cloud_tokens::models::{
    Detail, DomainEntityRef, Entity, ErrorBody, IdleTokenTimeout,
    IdleTokenTimeoutInactivityTimeoutUnit, InactivityTimeoutGroupBundle,
    InactivityTimeoutGroupBundleInactivityTimeoutUnit, Limit, LimitNamespace, NamedEntity,
    OrgOAuthClient, OrgOAuthClientAuthorizedGrantType, OrgOAuthClientState, RoleDivision,
    TokenInfo, TokenInfoClonedUser,
};
use genesys_cloud_tokens::{ApiError, Client, Error, RedirectPolicy, RetryPolicy, TimeoutKind};
use serde_json::{json, Value};
use wiremock::matchers::{
    body_json, header, header_regex, method, path, query_param, query_param_is_missing,
};
use wiremock::{Mock, MockBuilder, MockServer, Request, ResponseTemplate};

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/// The access token every test client sends.
const TOKEN: &str = "e2e-access-token-7f3c9a";

const ORG_ID: &str = "6a1b3c5d-7e9f-4a2b-8c4d-1e2f3a4b5c6d";
const HOME_ORG_ID: &str = "0f9e8d7c-6b5a-4c3d-9e2f-1a0b9c8d7e6f";
const USER_ID: &str = "3f2a6c1e-9b8d-4e7f-a1b2-c3d4e5f60718";
const CLIENT_ID: &str = "b7e1f2a3-4c5d-4e6f-8a9b-0c1d2e3f4a5b";
const CORRELATION: &str = "8d6e2f4a-1b3c-4d5e-9f70-a1b2c3d4e5f6";

/// Starts a mock server and a client pointed at it.
async fn setup() -> (MockServer, Client) {
    let server = MockServer::start().await;
    let client = client_for(&server.uri());
    (server, client)
}

/// A client for `base_url`, authenticated with [`TOKEN`]. Retrying is off:
/// these tests look at single exchanges (`tests/runtime.rs` covers retries).
fn client_for(base_url: &str) -> Client {
    Client::builder()
        .base_url(base_url)
        .access_token(TOKEN)
        .retry(RetryPolicy::none())
        .build()
        .expect("the client builds")
}

/// A mock matching exactly `verb` on `p` with the headers every request must carry.
fn api_call(verb: &str, p: &str) -> MockBuilder {
    Mock::given(method(verb))
        .and(path(p))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .and(header("accept", "application/json"))
        .and(header_regex(
            "user-agent",
            r"^genesys-cloud-tokens/\d+\.\d+\.\d+\S*$",
        ))
}

/// A JSON response with the exact text `body`.
fn json_response(status: u16, body: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.to_owned(), "application/json")
}

/// The server answers one `GET /api/v2/tokens/me` with 200 and `body`.
async fn get_tokens_me_answers(server: &MockServer, body: &str) {
    api_call("GET", "/api/v2/tokens/me")
        .respond_with(json_response(200, body))
        .expect(1)
        .mount(server)
        .await;
}

/// The server answers one `verb` on `/api/v2/tokens/timeout` with 200 and `body`.
async fn timeout_answers(server: &MockServer, verb: &str, body: &Value) {
    api_call(verb, "/api/v2/tokens/timeout")
        .respond_with(json_response(200, &body.to_string()))
        .expect(1)
        .mount(server)
        .await;
}

/// The requests the server received.
async fn received(server: &MockServer) -> Vec<Request> {
    server
        .received_requests()
        .await
        .expect("request recording is enabled")
}

/// The one request the server received.
async fn only_request(server: &MockServer) -> Request {
    let mut requests = received(server).await;
    assert_eq!(requests.len(), 1, "exactly one request: {requests:?}");
    requests.remove(0)
}

/// Asserts a request carried no body and no `Content-Type`.
fn assert_no_body(request: &Request) {
    assert!(
        request.body.is_empty(),
        "{} {} must not send a body, sent {:?}",
        request.method,
        request.url,
        String::from_utf8_lossy(&request.body)
    );
    assert!(
        request.headers.get("content-type").is_none(),
        "{} {} must not send a Content-Type, sent {:?}",
        request.method,
        request.url,
        request.headers.get("content-type")
    );
}

/// Exactly-once header values of a received request.
fn header_value<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    let mut values = request.headers.get_all(name).iter();
    let first = values.next()?;
    assert!(values.next().is_none(), "header {name} sent more than once");
    Some(first.to_str().expect("header is ASCII"))
}

/// A UTC instant.
fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32, ms: u32) -> DateTime<Utc> {
    NaiveDate::from_ymd_opt(y, mo, d)
        .and_then(|date| date.and_hms_milli_opt(h, mi, s, ms))
        .expect("valid date")
        .and_utc()
}

/// A realistic Genesys error body, with nested errors, details, a limit and
/// a field this version of the crate does not know.
fn error_body_json(status: u16, code: &str, message: &str, namespace: &str) -> Value {
    json!({
        "message": message,
        "code": code,
        "status": status,
        "entityId": USER_ID,
        "entityName": "user",
        "messageWithParams": "Missing any permissions: {permissions}",
        "messageParams": {
            "permissions": "oauth:token:delete",
            "userId": USER_ID
        },
        "contextId": "c0a8b1e2-3f4d-4a5b-9c6d-7e8f9a0b1c2d",
        "details": [
            {
                "errorCode": "missing.permission",
                "fieldName": "userId",
                "entityId": USER_ID,
                "entityName": "Jane Agent",
                "hint": "kept"
            },
            { "errorCode": "policy.denied" }
        ],
        "errors": [
            {
                "message": "Nested problem",
                "code": "not.authorized",
                "status": status,
                "errors": [ { "code": "inner.most", "futureNested": [1, 2] } ]
            }
        ],
        "limit": { "key": "token.requests.per.minute", "namespace": namespace, "value": 3_000_000_000_i64 },
        "trackingNumber": 12345
    })
}

/// What [`error_body_json`] decodes to, the fields the spec lacks included.
fn expected_error_body(
    status: i32,
    code: &str,
    message: &str,
    namespace: LimitNamespace,
) -> ErrorBody {
    ErrorBody::new()
        .with_message(message)
        .with_code(code)
        .with_status(status)
        .with_entity_id(USER_ID)
        .with_entity_name("user")
        .with_message_with_params("Missing any permissions: {permissions}")
        .with_message_params(
            [
                ("permissions".to_owned(), "oauth:token:delete".to_owned()),
                ("userId".to_owned(), USER_ID.to_owned()),
            ]
            .into_iter()
            .collect::<std::collections::BTreeMap<_, _>>(),
        )
        .with_context_id("c0a8b1e2-3f4d-4a5b-9c6d-7e8f9a0b1c2d")
        .with_details(vec![
            Detail::new()
                .with_error_code("missing.permission")
                .with_field_name("userId")
                .with_entity_id(USER_ID)
                .with_entity_name("Jane Agent")
                .with_unknown_field("hint", "kept"),
            Detail::new().with_error_code("policy.denied"),
        ])
        .with_errors(vec![ErrorBody::new()
            .with_message("Nested problem")
            .with_code("not.authorized")
            .with_status(status)
            .with_errors(vec![ErrorBody::new()
                .with_code("inner.most")
                .with_unknown_field("futureNested", json!([1, 2]))])])
        .with_limit(
            Limit::new()
                .with_key("token.requests.per.minute")
                .with_namespace(namespace)
                .with_value(3_000_000_000_i64),
        )
        .with_unknown_field("trackingNumber", 12345)
}

/// Unwraps an `Error::Api`.
fn expect_api(result: Result<impl std::fmt::Debug, Error>) -> (Error, ApiError) {
    match result {
        Err(Error::Api(api)) => {
            let copy = (*api).clone();
            (Error::Api(api), copy)
        }
        other => panic!("expected Error::Api, got {other:?}"),
    }
}

/// A realistic `TokenInfo` as the server sends it, with unknown fields at
/// several levels.
fn token_info_json(date_token_idles: &str, grant: &str, state: &str) -> Value {
    json!({
        "organization": {
            "id": ORG_ID,
            "name": "Example Contact Center",
            "selfUri": format!("/api/v2/organizations/{ORG_ID}")
        },
        "homeOrganization": {
            "id": HOME_ORG_ID,
            "name": "Example Holding",
            "thirdPartyOrgName": "example-holding"
        },
        "authorizedScope": ["user-basic-info", "authorization:readonly", "organization"],
        "clonedUser": {
            "id": "d4c3b2a1-0f9e-4d8c-b7a6-958473625140",
            "organization": {
                "id": HOME_ORG_ID,
                "selfUri": format!("/api/v2/organizations/{HOME_ORG_ID}")
            }
        },
        "dateTokenIdles": date_token_idles,
        "OAuthClient": {
            "id": CLIENT_ID,
            "name": "Reporting integration",
            "dateCreated": "2024-03-05T08:09:10Z",
            "dateModified": "2025-12-31T23:59:59.999Z",
            "createdBy": {
                "id": USER_ID,
                "selfUri": format!("/api/v2/users/{USER_ID}")
            },
            "modifiedBy": {
                "id": USER_ID,
                "name": "Jane Admin",
                "selfUri": format!("/api/v2/users/{USER_ID}")
            },
            "authorizedGrantType": grant,
            "scope": [],
            "roleDivisions": [
                {
                    "roleId": "11111111-2222-4333-8444-555555555555",
                    "divisionId": "*",
                    "inheritFrom": "kept"
                },
                {
                    "roleId": "66666666-7777-4888-9999-000000000000",
                    "divisionId": "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee"
                }
            ],
            "state": state,
            "dateToDelete": "2027-01-15T00:00:00.000Z",
            "organization": { "id": ORG_ID, "name": "Example Contact Center" },
            "registeredRedirectUri": ["https://example.com/callback"],
            "accessTokenValiditySeconds": 86400
        },
        "unknownTopLevel": { "nested": [1, 2, 3], "flag": null }
    })
}

/// What [`token_info_json`] decodes to, the fields the spec lacks included.
fn expected_token_info(
    date_token_idles: DateTime<Utc>,
    grant: OrgOAuthClientAuthorizedGrantType,
    state: OrgOAuthClientState,
) -> TokenInfo {
    TokenInfo::new()
        .with_organization(
            NamedEntity::new()
                .with_id(ORG_ID)
                .with_name("Example Contact Center")
                .with_unknown_field("selfUri", format!("/api/v2/organizations/{ORG_ID}")),
        )
        .with_home_organization(
            NamedEntity::new()
                .with_id(HOME_ORG_ID)
                .with_name("Example Holding")
                .with_unknown_field("thirdPartyOrgName", "example-holding"),
        )
        .with_authorized_scope(vec![
            "user-basic-info".to_owned(),
            "authorization:readonly".to_owned(),
            "organization".to_owned(),
        ])
        .with_cloned_user(
            TokenInfoClonedUser::new()
                .with_id("d4c3b2a1-0f9e-4d8c-b7a6-958473625140")
                .with_organization(
                    Entity::new().with_id(HOME_ORG_ID).with_unknown_field(
                        "selfUri",
                        format!("/api/v2/organizations/{HOME_ORG_ID}"),
                    ),
                ),
        )
        .with_date_token_idles(date_token_idles)
        .with_oauth_client(
            OrgOAuthClient::new("Reporting integration", grant)
                .with_id(CLIENT_ID)
                .with_date_created(utc(2024, 3, 5, 8, 9, 10, 0))
                .with_date_modified(utc(2025, 12, 31, 23, 59, 59, 999))
                .with_created_by(
                    DomainEntityRef::new()
                        .with_id(USER_ID)
                        .with_self_uri(format!("/api/v2/users/{USER_ID}")),
                )
                .with_modified_by(
                    DomainEntityRef::new()
                        .with_id(USER_ID)
                        .with_name("Jane Admin")
                        .with_self_uri(format!("/api/v2/users/{USER_ID}")),
                )
                .with_scope(Vec::<String>::new())
                .with_role_divisions(vec![
                    RoleDivision::new("11111111-2222-4333-8444-555555555555", "*")
                        .with_unknown_field("inheritFrom", "kept"),
                    RoleDivision::new(
                        "66666666-7777-4888-9999-000000000000",
                        "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee",
                    ),
                ])
                .with_state(state)
                .with_date_to_delete(utc(2027, 1, 15, 0, 0, 0, 0))
                .with_organization(
                    NamedEntity::new()
                        .with_id(ORG_ID)
                        .with_name("Example Contact Center"),
                )
                .with_unknown_field(
                    "registeredRedirectUri",
                    json!(["https://example.com/callback"]),
                )
                .with_unknown_field("accessTokenValiditySeconds", 86400),
        )
        .with_unknown_field(
            "unknownTopLevel",
            json!({ "nested": [1, 2, 3], "flag": null }),
        )
}

/// A realistic `IdleTokenTimeout` with both units and a group bundle.
fn realistic_timeout() -> IdleTokenTimeout {
    IdleTokenTimeout::new()
        .with_idle_token_timeout_seconds(1800)
        .with_enable_idle_token_timeout(true)
        .with_inactivity_timeout_unit(IdleTokenTimeoutInactivityTimeoutUnit::Minutes)
        .with_inactivity_timeout_groups_enabled(true)
        .with_inactivity_timeout_group_bundles(vec![
            InactivityTimeoutGroupBundle::new(
                1,
                900,
                vec![
                    "5e3f1a2b-0c9d-4e8f-a7b6-c5d4e3f2a1b0".to_owned(),
                    "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d".to_owned(),
                ],
            )
            .with_inactivity_timeout_unit(
                InactivityTimeoutGroupBundleInactivityTimeoutUnit::Minutes,
            ),
            // No unit: it must be omitted from the JSON, not sent as null.
            InactivityTimeoutGroupBundle::new(
                2,
                7200,
                vec!["0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d".to_owned()],
            ),
        ])
}

/// The exact JSON of [`realistic_timeout`].
fn realistic_timeout_json() -> Value {
    json!({
        "idleTokenTimeoutSeconds": 1800,
        "enableIdleTokenTimeout": true,
        "inactivityTimeoutUnit": "Minutes",
        "inactivityTimeoutGroupsEnabled": true,
        "inactivityTimeoutGroupBundles": [
            {
                "priority": 1,
                "timeoutSeconds": 900,
                "inactivityTimeoutUnit": "Minutes",
                "groups": [
                    "5e3f1a2b-0c9d-4e8f-a7b6-c5d4e3f2a1b0",
                    "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"
                ]
            },
            {
                "priority": 2,
                "timeoutSeconds": 7200,
                "groups": ["0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"]
            }
        ]
    })
}

// ---------------------------------------------------------------------------
// 1. The six operations
// ---------------------------------------------------------------------------

#[tokio::test]
async fn delete_token_sends_delete_to_user_path_without_body() {
    let (server, client) = setup().await;
    api_call("DELETE", &format!("/api/v2/tokens/{USER_ID}"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;

    client
        .tokens()
        .delete_token(USER_ID)
        .send()
        .await
        .expect("deleteToken succeeds");

    let request = only_request(&server).await;
    assert_no_body(&request);
    assert_eq!(request.url.query(), None);
}

#[tokio::test]
async fn delete_tokens_me_sends_delete_to_me_without_body() {
    let (server, client) = setup().await;
    api_call("DELETE", "/api/v2/tokens/me")
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;

    client
        .tokens()
        .delete_tokens_me()
        .await
        .expect("deleteTokensMe succeeds");

    let request = only_request(&server).await;
    assert_no_body(&request);
    assert_eq!(request.url.query(), None);
}

#[tokio::test]
async fn get_tokens_me_without_preserve_idle_ttl_sends_no_query() {
    let (server, client) = setup().await;
    let body = token_info_json("2026-11-28T10:15:30.123Z", "CLIENT-CREDENTIALS", "active");
    api_call("GET", "/api/v2/tokens/me")
        .and(query_param_is_missing("preserveIdleTTL"))
        .respond_with(json_response(200, &body.to_string()))
        .expect(1)
        .mount(&server)
        .await;

    let info = client
        .tokens()
        .get_tokens_me()
        .send()
        .await
        .expect("getTokensMe succeeds");
    assert_eq!(
        info,
        expected_token_info(
            utc(2026, 11, 28, 10, 15, 30, 123),
            OrgOAuthClientAuthorizedGrantType::ClientCredentials,
            OrgOAuthClientState::Active,
        )
    );

    let request = only_request(&server).await;
    assert_eq!(request.url.query(), None, "no query string at all");
    assert_no_body(&request);
}

#[tokio::test]
async fn get_tokens_me_sends_preserve_idle_ttl_true_and_false() {
    for value in [true, false] {
        let (server, client) = setup().await;
        let text = value.to_string();
        api_call("GET", "/api/v2/tokens/me")
            .and(query_param("preserveIdleTTL", text.as_str()))
            .respond_with(json_response(
                200,
                r#"{"authorizedScope":["user-basic-info"]}"#,
            ))
            .expect(1)
            .mount(&server)
            .await;

        let info = client
            .tokens()
            .get_tokens_me()
            .preserve_idle_ttl(value)
            .await
            .expect("getTokensMe succeeds");
        assert_eq!(
            info,
            TokenInfo::new().with_authorized_scope(vec!["user-basic-info".to_owned()])
        );

        let request = only_request(&server).await;
        assert_eq!(
            request.url.query(),
            Some(format!("preserveIdleTTL={text}").as_str()),
            "exactly one query parameter"
        );
        assert_no_body(&request);
    }
}

#[tokio::test]
async fn get_tokens_timeout_decodes_the_settings() {
    let (server, client) = setup().await;
    let mut body = realistic_timeout_json();
    body["futureSetting"] = json!({ "x": 1 });
    body["inactivityTimeoutGroupBundles"][0]["futureBundleField"] = json!("kept");
    timeout_answers(&server, "GET", &body).await;

    let mut settings = client
        .tokens()
        .get_tokens_timeout()
        .await
        .expect("getTokensTimeout succeeds");
    assert_eq!(settings.idle_token_timeout_seconds, Some(1800));
    // Fields the spec lacks are kept, at every level.
    assert_eq!(
        settings.unknown_fields.remove("futureSetting"),
        Some(json!({ "x": 1 }))
    );
    let bundles = settings
        .inactivity_timeout_group_bundles
        .as_mut()
        .expect("bundles decoded");
    assert_eq!(bundles.len(), 2);
    assert_eq!(bundles[1].inactivity_timeout_unit, None);
    assert_eq!(
        bundles[0].unknown_fields.remove("futureBundleField"),
        Some(json!("kept"))
    );
    assert_eq!(settings, realistic_timeout());

    let request = only_request(&server).await;
    assert_no_body(&request);
    assert_eq!(request.url.query(), None);
}

#[tokio::test]
async fn get_tokens_timeout_keeps_unknown_units() {
    let (server, client) = setup().await;
    api_call("GET", "/api/v2/tokens/timeout")
        .respond_with(json_response(
            200,
            r#"{"idleTokenTimeoutSeconds":86400,"inactivityTimeoutUnit":"Days",
                "inactivityTimeoutGroupBundles":[{"priority":5,"timeoutSeconds":28800,
                "inactivityTimeoutUnit":"Hours","groups":[]}]}"#,
        ))
        .expect(1)
        .mount(&server)
        .await;

    let settings = client
        .tokens()
        .get_tokens_timeout()
        .await
        .expect("getTokensTimeout succeeds");
    assert_eq!(
        settings.inactivity_timeout_unit,
        Some(IdleTokenTimeoutInactivityTimeoutUnit::Unknown(
            "Days".to_owned()
        ))
    );
    assert_eq!(
        settings.inactivity_timeout_group_bundles,
        Some(vec![InactivityTimeoutGroupBundle::new(
            5,
            28800,
            Vec::<String>::new()
        )
        .with_inactivity_timeout_unit(
            InactivityTimeoutGroupBundleInactivityTimeoutUnit::Hours
        )])
    );
}

#[tokio::test]
async fn settings_the_spec_lacks_survive_a_get_and_a_put_back() {
    // The API's settings grow after a crate is generated (IdleTokenTimeout
    // went from two fields to five): reading them, changing one and writing
    // them back must not erase the others.
    let (server, client) = setup().await;
    let mut stored = realistic_timeout_json();
    stored["idleTokenTimeoutPolicy"] = json!({ "mode": "strict", "exemptRoles": ["admin", "api"] });
    stored["hipaaMaximumSeconds"] = json!(900);
    stored["rolloutNote"] = Value::Null;
    stored["inactivityTimeoutGroupBundles"][1]["graceSeconds"] = json!(30.5);
    timeout_answers(&server, "GET", &stored).await;
    let mut saved = stored.clone();
    saved["idleTokenTimeoutSeconds"] = json!(3600);
    timeout_answers(&server, "PUT", &saved).await;

    let settings = client
        .tokens()
        .get_tokens_timeout()
        .await
        .expect("getTokensTimeout succeeds");
    assert_eq!(
        settings.unknown_fields.get("hipaaMaximumSeconds"),
        Some(&json!(900))
    );
    let changed = settings.with_idle_token_timeout_seconds(3600);
    let answer = client
        .tokens()
        .put_tokens_timeout()
        .body(changed.clone())
        .await
        .expect("putTokensTimeout succeeds");
    assert_eq!(answer, changed, "the answer decodes to what was sent");

    let requests = received(&server).await;
    let put = requests
        .iter()
        .find(|r| r.method.as_str() == "PUT")
        .expect("a PUT was sent");
    let sent: Value = serde_json::from_slice(&put.body).expect("the body is JSON");
    assert_eq!(
        sent, saved,
        "every field the server sent comes back, changed only where set"
    );
}

#[tokio::test]
async fn head_tokens_me_sends_head_and_returns_unit() {
    let (server, client) = setup().await;
    api_call("HEAD", "/api/v2/tokens/me")
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;

    client
        .tokens()
        .head_tokens_me()
        .send()
        .await
        .expect("headTokensMe succeeds");

    let request = only_request(&server).await;
    assert_no_body(&request);
    assert_eq!(request.url.query(), None);
}

#[tokio::test]
async fn put_tokens_timeout_sends_exact_json_body() {
    let (server, client) = setup().await;
    let mut response = realistic_timeout_json();
    response["idleTokenTimeoutSeconds"] = json!(3600);
    api_call("PUT", "/api/v2/tokens/timeout")
        .and(header("content-type", "application/json"))
        .and(body_json(realistic_timeout_json()))
        .respond_with(json_response(200, &response.to_string()))
        .expect(1)
        .mount(&server)
        .await;

    let updated = client
        .tokens()
        .put_tokens_timeout()
        .body(realistic_timeout())
        .send()
        .await
        .expect("putTokensTimeout succeeds");
    assert_eq!(
        updated,
        realistic_timeout().with_idle_token_timeout_seconds(3600)
    );

    let request = only_request(&server).await;
    let sent: Value = serde_json::from_slice(&request.body).expect("the body is JSON");
    assert_eq!(sent, realistic_timeout_json());
    let text = String::from_utf8(request.body.clone()).expect("UTF-8 body");
    assert!(
        !text.contains("null"),
        "unset optional fields must be omitted, not sent as null: {text}"
    );
    assert_eq!(
        header_value(&request, "content-type"),
        Some("application/json")
    );
    assert_eq!(request.url.query(), None);
}

#[tokio::test]
async fn put_tokens_timeout_omits_every_unset_field() {
    let (server, client) = setup().await;
    api_call("PUT", "/api/v2/tokens/timeout")
        .and(header("content-type", "application/json"))
        .and(body_json(json!({ "enableIdleTokenTimeout": false })))
        .respond_with(json_response(
            200,
            r#"{"idleTokenTimeoutSeconds":1800,"enableIdleTokenTimeout":false}"#,
        ))
        .expect(1)
        .mount(&server)
        .await;

    let updated = client
        .tokens()
        .put_tokens_timeout()
        .body(IdleTokenTimeout::new().with_enable_idle_token_timeout(false))
        .await
        .expect("putTokensTimeout succeeds");
    assert_eq!(
        updated,
        IdleTokenTimeout::new()
            .with_idle_token_timeout_seconds(1800)
            .with_enable_idle_token_timeout(false)
    );

    let request = only_request(&server).await;
    assert_eq!(
        String::from_utf8_lossy(&request.body),
        r#"{"enableIdleTokenTimeout":false}"#
    );
}

#[tokio::test]
async fn put_tokens_timeout_sends_unknown_enum_values_verbatim() {
    let (server, client) = setup().await;
    let body = IdleTokenTimeout::new()
        .with_idle_token_timeout_seconds(600)
        .with_inactivity_timeout_unit(IdleTokenTimeoutInactivityTimeoutUnit::Unknown(
            "Days".to_owned(),
        ));
    api_call("PUT", "/api/v2/tokens/timeout")
        .and(header("content-type", "application/json"))
        .and(body_json(json!({
            "idleTokenTimeoutSeconds": 600,
            "inactivityTimeoutUnit": "Days"
        })))
        .respond_with(json_response(
            200,
            r#"{"idleTokenTimeoutSeconds":600,"inactivityTimeoutUnit":"Days"}"#,
        ))
        .expect(1)
        .mount(&server)
        .await;

    let updated = client
        .tokens()
        .put_tokens_timeout()
        .body(body.clone())
        .await
        .expect("putTokensTimeout succeeds");
    assert_eq!(updated, body);
}

#[tokio::test]
async fn put_tokens_timeout_without_body_sends_no_body() {
    let (server, client) = setup().await;
    api_call("PUT", "/api/v2/tokens/timeout")
        .respond_with(json_response(
            200,
            r#"{"idleTokenTimeoutSeconds":1800,"enableIdleTokenTimeout":true}"#,
        ))
        .expect(1)
        .mount(&server)
        .await;

    let current = client
        .tokens()
        .put_tokens_timeout()
        .await
        .expect("putTokensTimeout succeeds");
    assert_eq!(
        current,
        IdleTokenTimeout::new()
            .with_idle_token_timeout_seconds(1800)
            .with_enable_idle_token_timeout(true)
    );

    let request = only_request(&server).await;
    assert_no_body(&request);
}

#[tokio::test]
async fn custom_user_agent_replaces_the_default() {
    let server = MockServer::start().await;
    let client = Client::builder()
        .base_url(server.uri())
        .access_token(TOKEN)
        .user_agent("acme-dashboard/2.1 (ops@example.com)")
        .build()
        .expect("the client builds");
    Mock::given(method("HEAD"))
        .and(path("/api/v2/tokens/me"))
        .and(header("user-agent", "acme-dashboard/2.1 (ops@example.com)"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;

    client
        .tokens()
        .head_tokens_me()
        .await
        .expect("HEAD succeeds");
    let request = only_request(&server).await;
    assert_eq!(
        header_value(&request, "user-agent"),
        Some("acme-dashboard/2.1 (ops@example.com)")
    );
}

/// Every Tokens operation requires the OAuth scheme: a client without
/// credentials fails the call before sending anything, naming what to
/// configure.
#[tokio::test]
async fn client_without_credentials_fails_before_sending() {
    let server = MockServer::start().await;
    let client = Client::builder()
        .base_url(server.uri())
        .build()
        .expect("the client builds");

    let err = client
        .tokens()
        .get_tokens_timeout()
        .await
        .expect_err("an operation needing OAuth fails without credentials");
    let Error::InvalidRequest {
        operation, message, ..
    } = &err
    else {
        panic!("expected InvalidRequest, got {err:?}");
    };
    assert_eq!(*operation, "getTokensTimeout");
    assert!(message.contains("`PureCloud OAuth`"), "{message}");
    assert!(message.contains("ClientBuilder::access_token"), "{message}");
    assert!(received(&server).await.is_empty(), "nothing is sent");
}

#[tokio::test]
async fn access_token_with_a_newline_is_refused_by_build() {
    let err = Client::builder()
        .access_token("tok\r\nX-Injected: yes")
        .build()
        .expect_err("a token that is not a valid header value must be refused");
    assert!(
        matches!(err, Error::Config { .. }),
        "expected Error::Config, got {err:?}"
    );
    assert!(
        !format!("{err} {err:?}").contains("X-Injected"),
        "the error must not echo the token: {err:?}"
    );
}

#[tokio::test]
async fn custom_http_client_keeps_its_default_headers_and_gets_auth() {
    // `http_client_builder` installs the TLS crypto provider a custom
    // `reqwest` client needs, and keeps the crate's default timeouts.
    let mut defaults = genesys_cloud_tokens::reqwest::header::HeaderMap::new();
    defaults.insert("x-tenant", "acme".parse().expect("header value"));
    let http = genesys_cloud_tokens::http_client_builder()
        .default_headers(defaults)
        .build()
        .expect("reqwest client builds");

    let server = MockServer::start().await;
    let client = Client::builder()
        .base_url(server.uri())
        .access_token(TOKEN)
        .http_client(http)
        .build()
        .expect("the client builds");
    api_call("DELETE", "/api/v2/tokens/me")
        .and(header("x-tenant", "acme"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;

    client
        .tokens()
        .delete_tokens_me()
        .await
        .expect("deleteTokensMe succeeds");
}

// ---------------------------------------------------------------------------
// 2. Path parameters
// ---------------------------------------------------------------------------

#[tokio::test]
async fn delete_token_percent_encodes_user_id_as_one_segment() {
    let (server, client) = setup().await;
    let encoded = "/api/v2/tokens/a%2Fb%3Fc%23d..e%20f%20%C3%BC%E2%82%AC";
    api_call("DELETE", encoded)
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;

    client
        .tokens()
        .delete_token("a/b?c#d..e f ü€")
        .await
        .expect("deleteToken succeeds");

    let request = only_request(&server).await;
    assert_eq!(request.url.path(), encoded);
    assert_eq!(request.url.query(), None, "`?` must not start a query");
    assert_eq!(
        request.url.fragment(),
        None,
        "`#` must not start a fragment"
    );
    assert_no_body(&request);
}

#[tokio::test]
async fn delete_token_encodes_reserved_and_keeps_unreserved_characters() {
    let (server, client) = setup().await;
    let cases = [
        ("100%", "/api/v2/tokens/100%25"),
        ("%2e%2e", "/api/v2/tokens/%252e%252e"),
        ("../admin", "/api/v2/tokens/..%2Fadmin"),
        ("...", "/api/v2/tokens/..."),
        ("a~b-c_d.e", "/api/v2/tokens/a~b-c_d.e"),
        ("a+b=c;d,e", "/api/v2/tokens/a%2Bb%3Dc%3Bd%2Ce"),
        ("user@example.com", "/api/v2/tokens/user%40example.com"),
        (" ", "/api/v2/tokens/%20"),
        ("me", "/api/v2/tokens/me"),
    ];
    for (user_id, expected_path) in cases {
        let guard = server
            .register_as_scoped(
                api_call("DELETE", expected_path)
                    .respond_with(ResponseTemplate::new(204))
                    .expect(1),
            )
            .await;
        client
            .tokens()
            .delete_token(user_id)
            .await
            .unwrap_or_else(|e| panic!("deleteToken({user_id:?}) failed: {e}"));
        drop(guard);
    }
    let paths: Vec<String> = received(&server)
        .await
        .iter()
        .map(|r| r.url.path().to_owned())
        .collect();
    let expected: Vec<String> = cases.iter().map(|(_, p)| (*p).to_owned()).collect();
    assert_eq!(paths, expected);
}

#[tokio::test]
async fn delete_token_refuses_empty_dot_and_dot_dot_before_sending() {
    let (server, client) = setup().await;
    // Anything reaching the server is a failure.
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .mount(&server)
        .await;

    for user_id in ["", ".", ".."] {
        let err = client
            .tokens()
            .delete_token(user_id)
            .await
            .expect_err("must be refused");
        match &err {
            Error::InvalidRequest {
                operation, message, ..
            } => {
                assert_eq!(*operation, "deleteToken");
                assert!(
                    message.contains("userId"),
                    "message names the parameter: {message}"
                );
            }
            other => panic!("expected InvalidRequest for {user_id:?}, got {other:?}"),
        }
        assert_eq!(err.status(), None);
        assert_eq!(err.correlation_id(), None);
        assert!(err.api_error().is_none());
        assert!(err.to_string().contains("deleteToken"), "{err}");
    }
    assert!(received(&server).await.is_empty(), "nothing was sent");
}

// ---------------------------------------------------------------------------
// 3. Decoding TokenInfo
// ---------------------------------------------------------------------------

#[tokio::test]
async fn get_tokens_me_decodes_a_realistic_token_info() {
    let (server, client) = setup().await;
    let body = token_info_json("2026-11-28T10:15:30.123Z", "CODE", "disabled");
    api_call("GET", "/api/v2/tokens/me")
        .and(query_param("preserveIdleTTL", "true"))
        .respond_with(
            json_response(200, &body.to_string()).insert_header("ININ-Correlation-Id", CORRELATION),
        )
        .expect(1)
        .mount(&server)
        .await;

    let info = client
        .tokens()
        .get_tokens_me()
        .preserve_idle_ttl(true)
        .await
        .expect("getTokensMe succeeds");

    assert_eq!(
        info,
        expected_token_info(
            utc(2026, 11, 28, 10, 15, 30, 123),
            OrgOAuthClientAuthorizedGrantType::Code,
            OrgOAuthClientState::Disabled,
        )
    );
    // Spot checks, independent of the expected value builder.
    let idles = info.date_token_idles.expect("dateTokenIdles decoded");
    assert_eq!(idles.to_rfc3339(), "2026-11-28T10:15:30.123+00:00");
    assert_eq!(idles.timestamp(), 1_795_860_930);
    assert_eq!(idles.timestamp_subsec_millis(), 123);
    let oauth = info.oauth_client.as_ref().expect("OAuthClient decoded");
    assert_eq!(oauth.name, "Reporting integration");
    assert_eq!(oauth.authorized_grant_type.as_str(), "CODE");
    assert_eq!(
        oauth.date_created.map(|d| d.to_rfc3339()),
        Some("2024-03-05T08:09:10+00:00".to_owned())
    );
    let divisions = oauth.role_divisions.as_ref().expect("roleDivisions");
    assert_eq!(divisions[0].division_id, "*");
    assert_eq!(divisions[1].role_id, "66666666-7777-4888-9999-000000000000");
    assert_eq!(
        info.home_organization.and_then(|o| o.name),
        Some("Example Holding".to_owned())
    );
    assert_eq!(
        info.cloned_user
            .and_then(|u| u.organization)
            .and_then(|o| o.id),
        Some(HOME_ORG_ID.to_owned())
    );
}

#[tokio::test]
async fn get_tokens_me_decodes_dates_with_and_without_milliseconds() {
    let (server, client) = setup().await;
    let cases = [
        (
            "2026-11-28T10:15:30.123Z",
            utc(2026, 11, 28, 10, 15, 30, 123),
        ),
        ("2026-11-28T10:15:30Z", utc(2026, 11, 28, 10, 15, 30, 0)),
        ("2026-11-28T10:15:30.000Z", utc(2026, 11, 28, 10, 15, 30, 0)),
        (
            "2026-11-28T11:15:30.123+01:00",
            utc(2026, 11, 28, 10, 15, 30, 123),
        ),
    ];
    for (wire, expected) in cases {
        let guard = server
            .register_as_scoped(
                api_call("GET", "/api/v2/tokens/me")
                    .respond_with(json_response(
                        200,
                        &json!({ "dateTokenIdles": wire }).to_string(),
                    ))
                    .expect(1),
            )
            .await;
        let info = client
            .tokens()
            .get_tokens_me()
            .await
            .unwrap_or_else(|e| panic!("decoding {wire}: {e}"));
        assert_eq!(info.date_token_idles, Some(expected), "{wire}");
        drop(guard);
    }
    // Without milliseconds the value has no fraction at all.
    assert_eq!(utc(2026, 11, 28, 10, 15, 30, 0).timestamp_subsec_nanos(), 0);
}

#[tokio::test]
async fn get_tokens_me_maps_every_grant_type_and_keeps_unknown_ones() {
    let (server, client) = setup().await;
    let cases = [
        ("CODE", OrgOAuthClientAuthorizedGrantType::Code),
        ("TOKEN", OrgOAuthClientAuthorizedGrantType::Token),
        (
            "SAML2-BEARER",
            OrgOAuthClientAuthorizedGrantType::Saml2Bearer,
        ),
        ("PASSWORD", OrgOAuthClientAuthorizedGrantType::Password),
        (
            "CLIENT-CREDENTIALS",
            OrgOAuthClientAuthorizedGrantType::ClientCredentials,
        ),
        (
            "DEVICE-CODE",
            OrgOAuthClientAuthorizedGrantType::Unknown("DEVICE-CODE".to_owned()),
        ),
        // Case matters: the old spelling is not `ClientCredentials`.
        (
            "CLIENT_CREDENTIALS",
            OrgOAuthClientAuthorizedGrantType::Unknown("CLIENT_CREDENTIALS".to_owned()),
        ),
    ];
    for (wire, expected) in cases {
        let body = json!({ "OAuthClient": { "name": "c", "authorizedGrantType": wire } });
        let guard = server
            .register_as_scoped(
                api_call("GET", "/api/v2/tokens/me")
                    .respond_with(json_response(200, &body.to_string()))
                    .expect(1),
            )
            .await;
        let info = client
            .tokens()
            .get_tokens_me()
            .await
            .unwrap_or_else(|e| panic!("decoding {wire}: {e}"));
        let oauth = info.oauth_client.expect("OAuthClient decoded");
        assert_eq!(oauth.authorized_grant_type, expected, "{wire}");
        assert_eq!(oauth.authorized_grant_type.as_str(), wire);
        assert_eq!(oauth.state, None);
        drop(guard);
    }
}

#[tokio::test]
async fn get_tokens_me_keeps_unknown_enum_values_and_unknown_fields() {
    let (server, client) = setup().await;
    let mut body = token_info_json("2026-11-28T10:15:30Z", "DEVICE-CODE", "archived");
    body["organization"]["features"] = json!({ "purecloud": true });
    body["clonedUser"]["extra"] = json!([{ "deep": { "deeper": "x" } }]);
    api_call("GET", "/api/v2/tokens/me")
        .respond_with(json_response(200, &body.to_string()))
        .expect(1)
        .mount(&server)
        .await;

    let mut info = client
        .tokens()
        .get_tokens_me()
        .await
        .expect("unknown values and fields must not fail decoding");
    let organization = info.organization.as_mut().expect("organization decoded");
    assert_eq!(
        organization.unknown_fields.remove("features"),
        Some(json!({ "purecloud": true }))
    );
    let cloned = info.cloned_user.as_mut().expect("clonedUser decoded");
    assert_eq!(
        cloned.unknown_fields.remove("extra"),
        Some(json!([{ "deep": { "deeper": "x" } }]))
    );
    assert_eq!(
        info,
        expected_token_info(
            utc(2026, 11, 28, 10, 15, 30, 0),
            OrgOAuthClientAuthorizedGrantType::Unknown("DEVICE-CODE".to_owned()),
            OrgOAuthClientState::Unknown("archived".to_owned()),
        )
    );
    let oauth = info.oauth_client.expect("OAuthClient decoded");
    assert_eq!(oauth.state.as_ref().map(|s| s.as_str()), Some("archived"));
    assert_eq!(oauth.authorized_grant_type.to_string(), "DEVICE-CODE");
}

#[tokio::test]
async fn get_tokens_me_accepts_null_and_missing_optional_fields() {
    let (server, client) = setup().await;
    api_call("GET", "/api/v2/tokens/me")
        .respond_with(json_response(
            200,
            r#"{"organization":{"id":"o1","name":null},"clonedUser":null,"dateTokenIdles":null,
                "OAuthClient":{"name":"n","authorizedGrantType":"TOKEN","state":"inactive","scope":null}}"#,
        ))
        .expect(1)
        .mount(&server)
        .await;

    let info = client
        .tokens()
        .get_tokens_me()
        .await
        .expect("getTokensMe succeeds");
    assert_eq!(
        info,
        TokenInfo::new()
            .with_organization(NamedEntity::new().with_id("o1"))
            .with_oauth_client(
                OrgOAuthClient::new("n", OrgOAuthClientAuthorizedGrantType::Token)
                    .with_state(OrgOAuthClientState::Inactive)
            )
    );
}

// ---------------------------------------------------------------------------
// 4. Empty success bodies
// ---------------------------------------------------------------------------

#[tokio::test]
async fn empty_success_bodies_are_ok_for_deletes_and_head() {
    for status in [200_u16, 204] {
        let (server, client) = setup().await;
        api_call("DELETE", &format!("/api/v2/tokens/{USER_ID}"))
            .respond_with(ResponseTemplate::new(status))
            .expect(1)
            .mount(&server)
            .await;
        api_call("DELETE", "/api/v2/tokens/me")
            .respond_with(ResponseTemplate::new(status))
            .expect(1)
            .mount(&server)
            .await;
        api_call("HEAD", "/api/v2/tokens/me")
            .respond_with(ResponseTemplate::new(status))
            .expect(1)
            .mount(&server)
            .await;

        let tokens = client.tokens();
        assert!(
            matches!(tokens.delete_token(USER_ID).await, Ok(())),
            "deleteToken {status}"
        );
        assert!(
            matches!(tokens.delete_tokens_me().await, Ok(())),
            "deleteTokensMe {status}"
        );
        assert!(
            matches!(tokens.head_tokens_me().await, Ok(())),
            "headTokensMe {status}"
        );
        assert_eq!(received(&server).await.len(), 3);
    }
}

#[tokio::test]
async fn delete_ignores_an_unexpected_success_body() {
    let (server, client) = setup().await;
    api_call("DELETE", "/api/v2/tokens/me")
        .respond_with(json_response(200, r#"{"status":"revoked"}"#))
        .expect(1)
        .mount(&server)
        .await;
    client
        .tokens()
        .delete_tokens_me()
        .await
        .expect("a body the API does not describe is ignored");
}

// ---------------------------------------------------------------------------
// 5. API errors with an ErrorBody
// ---------------------------------------------------------------------------

#[tokio::test]
async fn forbidden_becomes_api_error_with_decoded_body() {
    let (server, client) = setup().await;
    let message = "You are not authorized to perform the requested action.";
    let raw = error_body_json(403, "missing.any.permissions", message, "platform.api").to_string();
    api_call("DELETE", &format!("/api/v2/tokens/{USER_ID}"))
        .respond_with(json_response(403, &raw).insert_header("ININ-Correlation-Id", CORRELATION))
        .expect(1)
        .mount(&server)
        .await;

    let (err, api) = expect_api(client.tokens().delete_token(USER_ID).await);

    assert_eq!(api.operation, "deleteToken");
    assert_eq!(api.status, 403);
    assert_eq!(
        api.body,
        Some(expected_error_body(
            403,
            "missing.any.permissions",
            message,
            LimitNamespace::PlatformApi
        ))
    );
    assert_eq!(api.raw_body, raw);
    assert_eq!(api.correlation_id.as_deref(), Some(CORRELATION));
    assert_eq!(api.retry_after, None);
    assert_eq!(api.message(), Some(message));

    let body = api.body.as_ref().expect("decoded body");
    assert_eq!(body.code.as_deref(), Some("missing.any.permissions"));
    assert_eq!(body.status, Some(403));
    assert_eq!(
        body.context_id.as_deref(),
        Some("c0a8b1e2-3f4d-4a5b-9c6d-7e8f9a0b1c2d")
    );
    assert_eq!(
        body.message_params
            .as_ref()
            .and_then(|p| p.get("permissions"))
            .map(String::as_str),
        Some("oauth:token:delete")
    );
    assert_eq!(
        body.details.as_ref().map(Vec::len),
        Some(2),
        "both details decoded"
    );
    assert_eq!(
        body.errors
            .as_ref()
            .and_then(|e| e[0].errors.as_ref())
            .map(|e| e[0].code.clone()),
        Some(Some("inner.most".to_owned()))
    );
    let limit = body.limit.as_ref().expect("limit decoded");
    assert_eq!(limit.namespace, Some(LimitNamespace::PlatformApi));
    assert_eq!(limit.value, Some(3_000_000_000));

    assert_eq!(err.status(), Some(403));
    assert_eq!(err.correlation_id(), Some(CORRELATION));
    assert_eq!(err.api_error().map(|e| e.status), Some(403));
    assert!(!err.is_timeout());
    assert!(std::error::Error::source(&err).is_some());

    let shown = err.to_string();
    assert!(shown.contains("403"), "{shown}");
    assert!(shown.contains(message), "{shown}");
    assert!(shown.contains(CORRELATION), "{shown}");
    assert!(shown.contains("deleteToken"), "{shown}");
    assert!(
        !format!("{err:?}").contains(TOKEN),
        "the token never appears"
    );
}

#[tokio::test]
async fn too_many_requests_carries_retry_after() {
    let (server, client) = setup().await;
    let message = "Rate limit exceeded the maximum. Retry the request in [7] seconds";
    let raw =
        error_body_json(429, "too.many.requests.retry.after", message, "auth.api").to_string();
    api_call("GET", "/api/v2/tokens/me")
        .respond_with(
            json_response(429, &raw)
                .insert_header("ININ-Correlation-Id", CORRELATION)
                .insert_header("Retry-After", "7"),
        )
        .expect(1)
        .mount(&server)
        .await;

    let (err, api) = expect_api(client.tokens().get_tokens_me().await);

    assert_eq!(api.operation, "getTokensMe");
    assert_eq!(api.status, 429);
    assert_eq!(api.retry_after, Some(std::time::Duration::from_secs(7)));
    assert_eq!(api.correlation_id.as_deref(), Some(CORRELATION));
    assert_eq!(api.raw_body, raw);
    assert_eq!(
        api.body,
        Some(expected_error_body(
            429,
            "too.many.requests.retry.after",
            message,
            LimitNamespace::AuthApi
        ))
    );
    assert_eq!(err.status(), Some(429));
    assert_eq!(err.correlation_id(), Some(CORRELATION));
    let shown = err.to_string();
    assert!(
        shown.contains("429") && shown.contains(message) && shown.contains(CORRELATION),
        "{shown}"
    );
}

#[tokio::test]
async fn error_limit_with_unknown_namespace_still_decodes() {
    let (server, client) = setup().await;
    let raw = error_body_json(429, "too.many.requests", "Slow down", "quantum.routing").to_string();
    api_call("PUT", "/api/v2/tokens/timeout")
        .respond_with(json_response(429, &raw))
        .expect(1)
        .mount(&server)
        .await;

    let (err, api) = expect_api(client.tokens().put_tokens_timeout().await);
    assert_eq!(
        api.body.and_then(|b| b.limit).and_then(|l| l.namespace),
        Some(LimitNamespace::Unknown("quantum.routing".to_owned()))
    );
    assert_eq!(api.retry_after, None);
    assert_eq!(api.correlation_id, None);
    assert_eq!(err.correlation_id(), None);
    assert!(!err.to_string().contains("correlation id"), "{err}");
}

#[tokio::test]
async fn head_error_has_no_body() {
    let (server, client) = setup().await;
    api_call("HEAD", "/api/v2/tokens/me")
        .respond_with(ResponseTemplate::new(401).insert_header("ININ-Correlation-Id", CORRELATION))
        .expect(1)
        .mount(&server)
        .await;

    let (err, api) = expect_api(client.tokens().head_tokens_me().await);
    assert_eq!(api.operation, "headTokensMe");
    assert_eq!(api.status, 401);
    assert_eq!(api.body, None);
    assert_eq!(api.raw_body, "");
    assert_eq!(api.message(), None);
    assert_eq!(
        err.to_string(),
        format!("headTokensMe failed with HTTP status 401 (correlation id {CORRELATION})")
    );
}

// ---------------------------------------------------------------------------
// 6. Error bodies that are not ErrorBody JSON
// ---------------------------------------------------------------------------

#[tokio::test]
async fn html_error_body_is_kept_raw() {
    let (server, client) = setup().await;
    api_call("GET", "/api/v2/tokens/timeout")
        .respond_with(
            ResponseTemplate::new(502).set_body_raw("<html>Bad Gateway</html>", "text/html"),
        )
        .expect(1)
        .mount(&server)
        .await;

    let (err, api) = expect_api(client.tokens().get_tokens_timeout().await);
    assert_eq!(api.operation, "getTokensTimeout");
    assert_eq!(api.status, 502);
    assert_eq!(api.body, None);
    assert_eq!(api.raw_body, "<html>Bad Gateway</html>");
    assert_eq!(api.correlation_id, None);
    assert_eq!(api.message(), None);
    assert_eq!(err.status(), Some(502));
    let shown = err.to_string();
    assert!(shown.contains("502"), "{shown}");
    assert!(shown.contains("<html>Bad Gateway</html>"), "{shown}");
}

#[tokio::test]
async fn json_error_body_of_the_wrong_shape_is_kept_raw() {
    let (server, client) = setup().await;
    let raw = r#"{"message":["not","a","string"],"status":"500"}"#;
    api_call("DELETE", "/api/v2/tokens/me")
        .respond_with(json_response(500, raw))
        .expect(1)
        .mount(&server)
        .await;

    let (_, api) = expect_api(client.tokens().delete_tokens_me().await);
    assert_eq!(api.status, 500);
    assert_eq!(api.body, None);
    assert_eq!(api.raw_body, raw);
}

// ---------------------------------------------------------------------------
// 7. Malformed success bodies
// ---------------------------------------------------------------------------

#[tokio::test]
async fn malformed_success_body_is_a_decode_error() {
    let (server, client) = setup().await;
    let raw = r#"{"organization": {"id": "6a1b3c5d", "name": "#;
    api_call("GET", "/api/v2/tokens/me")
        .respond_with(json_response(200, raw).insert_header("ININ-Correlation-Id", CORRELATION))
        .expect(1)
        .mount(&server)
        .await;

    let err = client
        .tokens()
        .get_tokens_me()
        .await
        .expect_err("the body is not JSON");
    match &err {
        Error::Decode {
            operation,
            status,
            correlation_id,
            body,
            ..
        } => {
            assert_eq!(*operation, "getTokensMe");
            assert_eq!(*status, 200);
            assert_eq!(correlation_id.as_deref(), Some(CORRELATION));
            assert_eq!(body, raw);
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }
    assert_eq!(err.status(), Some(200));
    assert_eq!(err.correlation_id(), Some(CORRELATION));
    assert!(err.api_error().is_none());
    assert!(std::error::Error::source(&err).is_some());
    let shown = err.to_string();
    assert!(
        shown.contains("getTokensMe") && shown.contains("200") && shown.contains(CORRELATION),
        "{shown}"
    );
}

#[tokio::test]
async fn success_body_missing_a_required_field_is_a_decode_error() {
    let (server, client) = setup().await;
    // OrgOAuthClient requires `name` and `authorizedGrantType`.
    let raw = r#"{"OAuthClient":{"id":"x","authorizedGrantType":"CODE"}}"#;
    get_tokens_me_answers(&server, raw).await;

    match client.tokens().get_tokens_me().await {
        Err(Error::Decode {
            status,
            body,
            source,
            ..
        }) => {
            assert_eq!(status, 200);
            assert_eq!(body, raw);
            assert!(source.to_string().contains("name"), "{source}");
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }
}

#[tokio::test]
async fn keys_are_matched_after_unescaping_and_a_repeated_key_keeps_its_last_value() {
    let (server, client) = setup().await;
    // `\u006e\u0061me` is `name` escaped: it cannot be borrowed from the input.
    let raw = r#"{"OAuthClient":{"\u006e\u0061me":"first","authorizedGrantType":"CODE","name":"last"},
                  "clonedUser":{"id":"a","id":null}}"#;
    get_tokens_me_answers(&server, raw).await;

    let info = client.tokens().get_tokens_me().await.expect("decodes");
    let oauth = info.oauth_client.expect("OAuthClient decoded");
    assert_eq!(oauth.name, "last");
    assert_eq!(
        oauth.authorized_grant_type,
        OrgOAuthClientAuthorizedGrantType::Code
    );
    assert_eq!(info.cloned_user.expect("clonedUser decoded").id, None);
}

#[tokio::test]
async fn a_model_given_something_else_than_an_object_is_a_decode_error() {
    let (server, client) = setup().await;
    let raw = r#"{"organization":["o1"]}"#;
    get_tokens_me_answers(&server, raw).await;

    match client.tokens().get_tokens_me().await {
        Err(Error::Decode { source, .. }) => {
            let message = source.to_string();
            assert!(message.contains("a `NamedEntity` object"), "{message}");
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }
}

#[tokio::test]
async fn empty_success_body_where_json_is_expected_is_a_decode_error() {
    let (server, client) = setup().await;
    api_call("GET", "/api/v2/tokens/timeout")
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;

    match client.tokens().get_tokens_timeout().await {
        Err(Error::Decode {
            operation,
            status,
            body,
            correlation_id,
            ..
        }) => {
            assert_eq!(operation, "getTokensTimeout");
            assert_eq!(status, 200);
            assert_eq!(body, "");
            assert_eq!(correlation_id, None);
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }
}

#[tokio::test]
async fn wrongly_typed_date_is_a_decode_error() {
    let (server, client) = setup().await;
    let raw = r#"{"dateTokenIdles":"28/11/2026 10:15"}"#;
    get_tokens_me_answers(&server, raw).await;
    let err = client.tokens().get_tokens_me().await.expect_err("bad date");
    assert!(
        matches!(&err, Error::Decode { body, .. } if body == raw),
        "expected Error::Decode, got {err:?}"
    );
}

// ---------------------------------------------------------------------------
// 8. Transport failures
// ---------------------------------------------------------------------------

#[tokio::test]
async fn closed_port_is_a_transport_error() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("address").port()
    };
    let client = client_for(&format!("http://127.0.0.1:{port}"));

    let err = client
        .tokens()
        .head_tokens_me()
        .await
        .expect_err("nobody listens");
    match &err {
        Error::Transport {
            operation, source, ..
        } => {
            assert_eq!(*operation, "headTokensMe");
            assert!(source.is_connect(), "a connect error: {source:?}");
        }
        other => panic!("expected Error::Transport, got {other:?}"),
    }
    assert!(!err.is_timeout());
    assert_eq!(err.status(), None);
    assert_eq!(err.correlation_id(), None);
    assert!(err.api_error().is_none());
    assert!(err.to_string().contains("headTokensMe"), "{err}");
    assert!(
        !format!("{err:?}").contains(TOKEN),
        "the token never appears"
    );
}

#[tokio::test]
async fn slow_server_hits_the_client_timeout() {
    let server = MockServer::start().await;
    let client = Client::builder()
        .base_url(server.uri())
        .access_token(TOKEN)
        .timeout(Duration::from_millis(200))
        .build()
        .expect("the client builds");
    api_call("GET", "/api/v2/tokens/me")
        .respond_with(json_response(200, "{}").set_delay(Duration::from_millis(1500)))
        .expect(1)
        .mount(&server)
        .await;

    let started = Instant::now();
    let err = client
        .tokens()
        .get_tokens_me()
        .await
        .expect_err("the response comes too late");
    let elapsed = started.elapsed();

    assert!(err.is_timeout(), "expected a timeout, got {err:?}");
    assert!(
        matches!(
            &err,
            Error::Timeout {
                operation: "getTokensMe",
                kind: TimeoutKind::Attempt,
                during: "waiting for the response",
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(err.status(), None);
    assert!(
        elapsed < Duration::from_millis(1200),
        "the client gave up after {elapsed:?}, not after ~200 ms"
    );
}

// ---------------------------------------------------------------------------
// 9. Base URL
// ---------------------------------------------------------------------------

#[tokio::test]
async fn base_url_with_a_path_prefix_is_kept() {
    for suffix in ["/gateway/genesys/", "/gateway/genesys"] {
        let server = MockServer::start().await;
        let client = client_for(&format!("{}{suffix}", server.uri()));
        assert_eq!(
            client.base_url().as_str(),
            format!("{}/gateway/genesys", server.uri())
        );
        api_call("GET", "/gateway/genesys/api/v2/tokens/me")
            .and(query_param("preserveIdleTTL", "false"))
            .respond_with(json_response(200, "{}"))
            .expect(1)
            .mount(&server)
            .await;
        api_call("DELETE", "/gateway/genesys/api/v2/tokens/a%2Fb")
            .respond_with(ResponseTemplate::new(200))
            .expect(1)
            .mount(&server)
            .await;

        let info = client
            .tokens()
            .get_tokens_me()
            .preserve_idle_ttl(false)
            .await
            .expect("getTokensMe through the gateway");
        assert_eq!(info, TokenInfo::new());
        client
            .tokens()
            .delete_token("a/b")
            .await
            .expect("deleteToken through the gateway");

        let paths: Vec<String> = received(&server)
            .await
            .iter()
            .map(|r| r.url.path().to_owned())
            .collect();
        assert_eq!(
            paths,
            [
                "/gateway/genesys/api/v2/tokens/me",
                "/gateway/genesys/api/v2/tokens/a%2Fb"
            ]
        );
    }
}

#[tokio::test]
async fn root_base_url_with_trailing_slash_has_no_double_slash() {
    let server = MockServer::start().await;
    let client = client_for(&format!("{}/", server.uri()));
    api_call("GET", "/api/v2/tokens/timeout")
        .respond_with(json_response(200, "{}"))
        .expect(1)
        .mount(&server)
        .await;
    client
        .tokens()
        .get_tokens_timeout()
        .await
        .expect("getTokensTimeout succeeds");
    assert_eq!(
        only_request(&server).await.url.path(),
        "/api/v2/tokens/timeout"
    );
}

#[test]
fn invalid_base_urls_are_config_errors() {
    for bad in [
        "not a url",
        "ftp://x",
        "",
        "api.mypurecloud.com",
        "file:///etc/passwd",
        "https://api.mypurecloud.com/?region=us",
        "https://api.mypurecloud.com/#top",
    ] {
        let err = Client::builder()
            .base_url(bad)
            .access_token(TOKEN)
            .build()
            .expect_err(bad);
        match &err {
            Error::Config { message, .. } => {
                assert!(
                    message.contains(&format!("`{bad}`")),
                    "message quotes the URL {bad:?}: {message}"
                )
            }
            other => panic!("expected Error::Config for {bad:?}, got {other:?}"),
        }
        assert_eq!(err.status(), None);
        assert!(!format!("{err} {err:?}").contains(TOKEN));
    }
}

#[test]
fn default_base_url_and_invalid_user_agent() {
    let client = Client::new(TOKEN).expect("the default client builds");
    assert_eq!(
        client.base_url().as_str(),
        format!("{}/", genesys_cloud_tokens::DEFAULT_BASE_URL)
    );
    let err = Client::builder()
        .user_agent("bad\nagent")
        .build()
        .expect_err("a newline is not allowed in a header");
    assert!(matches!(err, Error::Config { .. }), "{err:?}");
}

// ---------------------------------------------------------------------------
// 10. The token never shows in Debug output
// ---------------------------------------------------------------------------

#[test]
fn debug_output_never_contains_the_access_token() {
    let secret = "SeCrEt-9c1f-do-not-print-4b7e";
    let builder = Client::builder()
        .base_url("https://api.mypurecloud.de")
        .access_token(secret)
        .timeout(Duration::from_secs(5));
    for shown in [format!("{builder:?}"), format!("{builder:#?}")] {
        assert!(
            !shown.contains(secret),
            "builder Debug leaks the token: {shown}"
        );
        assert!(shown.contains("REDACTED"), "{shown}");
        assert!(shown.contains("api.mypurecloud.de"), "{shown}");
    }

    let client = builder.build().expect("the client builds");
    let tokens = client.tokens();
    let request = tokens.get_tokens_me().preserve_idle_ttl(true);
    for shown in [
        format!("{client:?}"),
        format!("{client:#?}"),
        format!("{:?}", client.clone()),
        format!("{tokens:?}"),
        format!("{request:?}"),
        format!("{:?}", tokens.delete_token("u")),
        format!(
            "{:?}",
            tokens.put_tokens_timeout().body(realistic_timeout())
        ),
    ] {
        assert!(!shown.contains(secret), "Debug leaks the token: {shown}");
        assert!(shown.contains("REDACTED"), "{shown}");
    }
}

// ---------------------------------------------------------------------------
// Redirects
// ---------------------------------------------------------------------------

#[tokio::test]
async fn cross_origin_redirects_are_refused_by_default_and_followed_without_the_token_when_allowed()
{
    let origin = MockServer::start().await;
    let elsewhere = MockServer::start().await;
    api_call("GET", "/api/v2/tokens/me")
        .respond_with(ResponseTemplate::new(307).insert_header(
            "Location",
            format!("{}/moved/tokens/me", elsewhere.uri()).as_str(),
        ))
        .expect(2)
        .mount(&origin)
        .await;
    Mock::given(method("GET"))
        .and(path("/moved/tokens/me"))
        .respond_with(json_response(200, r#"{"authorizedScope":[]}"#))
        .expect(1)
        .mount(&elsewhere)
        .await;

    // By default, only redirects within the same origin are followed.
    let err = client_for(&origin.uri())
        .tokens()
        .get_tokens_me()
        .await
        .expect_err("a redirect to another origin is not followed");
    let Error::Redirect {
        status, location, ..
    } = &err
    else {
        panic!("expected Error::Redirect, got {err:?}")
    };
    assert_eq!(*status, 307);
    assert_eq!(*location, format!("{}/moved/tokens/me", elsewhere.uri()));
    assert!(err.to_string().contains("another origin"), "{err}");

    let client = Client::builder()
        .base_url(origin.uri())
        .access_token(TOKEN)
        .retry(RetryPolicy::none())
        .redirects(RedirectPolicy::any_origin(3))
        .build()
        .expect("the client builds");
    let info = client
        .tokens()
        .get_tokens_me()
        .await
        .expect("the redirect is followed");
    assert_eq!(
        info,
        TokenInfo::new().with_authorized_scope(Vec::<String>::new())
    );
    let request = only_request(&elsewhere).await;
    assert_eq!(
        header_value(&request, "authorization"),
        None,
        "the bearer token must not be sent to another origin"
    );
}
