//! Sync an MCP server's capabilities and report the outcome.
//!
//! ```text
//! CLOUDFLARE_API_TOKEN=... CLOUDFLARE_ACCOUNT_ID=... \
//!     cargo run -p cloudflare-api --example sync_server -- my-mcp-portal
//! ```
//!
//! Hand-written (not generated): it consumes the crate the way a user would.

use cloudflare_api::zero_trust::access::ai_controls::mcp::servers::ServerSyncResponseStatus;
use cloudflare_api::{Client, Error};

#[tokio::main]
async fn main() {
    let id = std::env::args().nth(1).unwrap_or_else(|| "my-mcp-portal".to_owned());
    // Errors are printed with `Display`: one line a user can act on, not a `Debug` dump.
    if let Err(e) = run(&id).await {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

async fn run(id: &str) -> Result<(), Error> {
    // CLOUDFLARE_API_TOKEN (or CLOUDFLARE_EMAIL + CLOUDFLARE_API_KEY), CLOUDFLARE_ACCOUNT_ID.
    let client = Client::from_env()?;
    let servers = client.zero_trust().access().ai_controls().mcp().servers();
    let response = match servers.sync(id).send_with_response().await {
        Ok(response) => response,
        Err(Error::Api(api)) if api.status.as_u16() == 404 => {
            eprintln!("no MCP server {id:?} in this account: {api}");
            std::process::exit(1);
        }
        Err(e) => return Err(e),
    };
    println!("cf-ray: {}", response.request_id().unwrap_or("-"));
    let synced = response.data;
    match synced.status {
        Some(ServerSyncResponseStatus::Ready) => println!("{id}: ready"),
        Some(ServerSyncResponseStatus::Error) => {
            let details = synced.error_details.unwrap_or_default();
            println!(
                "{id}: error: {} (cause: {}, retryable: {})",
                synced.error.as_deref().unwrap_or("unknown"),
                details.cause.as_deref().unwrap_or("-"),
                details.retryable.unwrap_or(false)
            );
        }
        Some(other) => println!("{id}: {other}"),
        None => println!("{id}: no status reported"),
    }
    Ok(())
}
