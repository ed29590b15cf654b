#include "protocol/Messages.h"

#include <iterator>

namespace greenpulse::core {

const char *rejectReasonName(RejectReason reason)
{
    static constexpr const char *kNames[] = {
        "payload_too_large", "not_json",      "not_an_object", "missing_key",    "wrong_type",
        "not_finite",        "negative",      "above_ceiling", "unknown_status", "bad_timestamp",
        "bad_identifier",    "unknown_topic", "out_of_order",  "from_future",    "too_many_ids",
        "id_rate_limited",   "host_mismatch", "not_owner"};
    static_assert(std::size(kNames) == kRejectReasonCount, "a name for every RejectReason");
    const int index = static_cast<int>(reason);
    return index >= 0 && index < kRejectReasonCount ? kNames[index] : "unknown";
}

const char *intensityKindName(IntensityKind kind)
{
    switch (kind) {
    case IntensityKind::Direct:
        return "direct";
    case IntensityKind::Marginal:
        return "marginal";
    case IntensityKind::Lifecycle:
        break;
    }
    return "lifecycle";
}

} // namespace greenpulse::core
