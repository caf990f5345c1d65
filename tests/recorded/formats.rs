//! Recorded on the wire (wiremock): typed formats round-trip as the text the API reads, and a
//! value off its format is a decode error naming the field and the value.

use bookings_client::Error;
use bookings_client::runtime::Base64;
use bookings_client::types::Booking;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// Answers 201 with the request's own body.
struct Echo;

impl Respond for Echo {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        ResponseTemplate::new(201).set_body_raw(request.body.clone(), "application/json")
    }
}

fn client(server: &MockServer) -> bookings_client::Client {
    bookings_client::Client::builder().base_url(server.uri()).max_retries(0).build().expect("client")
}

#[tokio::test]
async fn a_booking_round_trips_with_typed_formats() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).and(path("/bookings")).respond_with(Echo).mount(&server).await;
    let starts_at: chrono::DateTime<chrono::Utc> = "2026-11-26T18:30:00Z".parse().expect("RFC 3339");
    let booking = Booking::new(4, starts_at)
        .day(chrono::NaiveDate::from_ymd_opt(2026, 11, 26).expect("a date"))
        .deposit(12.5f32)
        .link(url::Url::parse("https://bookings.example.com/b/7").expect("a URL"))
        .venue_ip(std::net::Ipv4Addr::new(192, 0, 2, 10))
        .signature(Base64::from(&b"hello"[..]));
    let created = client(&server).bookings().create(booking.clone()).await.expect("echoed");
    assert_eq!(created, booking, "what was sent comes back equal");

    let requests = server.received_requests().await.expect("recording is on");
    let sent: serde_json::Value = serde_json::from_slice(&requests[0].body).expect("JSON");
    assert_eq!(sent["starts_at"], "2026-11-26T18:30:00Z");
    assert_eq!(sent["day"], "2026-11-26");
    assert_eq!(sent["guests"], 4);
    assert_eq!(sent["venue_ip"], "192.0.2.10");
    assert_eq!(sent["signature"], "aGVsbG8=");
    assert!(sent.get("id").is_none(), "unset optional fields are left out: {sent}");
}

#[tokio::test]
async fn an_off_format_value_names_its_field_and_value() {
    let server = MockServer::start().await;
    let id = "7b2d9a4e-3f1c-4e8a-9b6d-2c5f8e1a0d3b";
    Mock::given(method("GET"))
        .and(path(format!("/bookings/{id}")))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            format!(r#"{{"id": "{id}", "starts_at": "next tuesday", "guests": 2}}"#),
            "application/json",
        ))
        .mount(&server)
        .await;
    let result = client(&server).bookings().get(id).await;
    let Err(Error::Decode { path, message, .. }) = result else { panic!("a decode error, got {result:?}") };
    assert_eq!(path, "starts_at");
    assert!(message.contains("\"next tuesday\""), "{message}");
}

#[tokio::test]
async fn parameters_stay_text() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/bookings"))
        .and(query_param("since", "2026-11-01T00:00:00+01:00"))
        .and(query_param("limit", "10"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(r#"[{"starts_at": "2026-11-26T18:30:00+01:00", "guests": 1}]"#, "application/json"))
        .mount(&server)
        .await;
    let bookings =
        client(&server).bookings().list().since("2026-11-01T00:00:00+01:00").limit(10).await.expect("listed");
    assert_eq!(bookings[0].starts_at.to_rfc3339(), "2026-11-26T17:30:00+00:00", "offsets are read, kept as UTC");
}

#[tokio::test]
async fn a_timestamp_without_offset_is_read_as_utc_and_reported() {
    let server = MockServer::start().await;
    let id = "7b2d9a4e-3f1c-4e8a-9b6d-2c5f8e1a0d3b";
    Mock::given(method("GET"))
        .and(path(format!("/bookings/{id}")))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            r#"{"starts_at": "2021-03-09T00:58:59.045655", "guests": 2}"#,
            "application/json",
        ))
        .mount(&server)
        .await;
    let response = client(&server).bookings().get(id).send_with_response().await.expect("lenient decoding");
    assert_eq!(response.data.starts_at.to_rfc3339(), "2021-03-09T00:58:59.045655+00:00");
    assert_eq!(response.coerced.len(), 1, "the conversion is reported: {:?}", response.coerced);
    assert_eq!(response.coerced[0].path, "starts_at");

    let strict = bookings_client::Client::builder()
        .base_url(server.uri())
        .strict_decoding(true)
        .build()
        .expect("client");
    let refused = strict.bookings().get(id).await;
    assert!(matches!(refused, Err(Error::Decode { .. })), "strict decoding refuses it: {refused:?}");
}
