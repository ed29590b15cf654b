#pragma once

// Why a provider gave no value, one counter each in greenpulse-grid's exit summary
// (GridCounters): the names are the keys of its "errors" object.

namespace greenpulse::grid {

enum class ProviderError {
    Timeout,     // no complete answer within --http-timeout-s
    Network,     // connection refused, DNS, TLS...
    Auth,        // HTTP 401 or 403: the token is missing, wrong or not entitled to the zone
    RateLimited, // HTTP 429
    HttpStatus,  // any other status that is not 200
    TooLarge,    // a body above the size a provider's answer can have
    NotJson,     // the body does not parse as a JSON object
    WrongShape,  // JSON, but not the documented shape (missing key, wrong type, other zone)
    AbsurdValue, // an intensity outside 0-5000 g/kWh, a time that cannot be the provider's
    Rejected,    // the payload built from it fails the wire contract's decoder
    Count        // sentinel
};

const char *providerErrorName(ProviderError error); // "timeout", "not_json"...

} // namespace greenpulse::grid
