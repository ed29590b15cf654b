#include "ProviderError.h"

namespace greenpulse::grid {

const char *providerErrorName(ProviderError error)
{
    switch (error) {
    case ProviderError::Timeout:
        return "timeout";
    case ProviderError::Network:
        return "network";
    case ProviderError::Auth:
        return "auth";
    case ProviderError::RateLimited:
        return "rate_limited";
    case ProviderError::HttpStatus:
        return "http_status";
    case ProviderError::TooLarge:
        return "too_large";
    case ProviderError::NotJson:
        return "not_json";
    case ProviderError::WrongShape:
        return "wrong_shape";
    case ProviderError::AbsurdValue:
        return "absurd_value";
    case ProviderError::Rejected:
        return "rejected";
    case ProviderError::Count:
        break;
    }
    return "unknown";
}

} // namespace greenpulse::grid
