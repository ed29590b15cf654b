#pragma once

// Instants on the wire and inside GreenPulse: nanoseconds since the Unix epoch (UTC), read from
// whatever unit a publisher wrote them in. Part of the wire contract (Protocol.h includes this).

#include <QtGlobal>
#include <optional>

namespace greenpulse::core {

// All instants are nanoseconds since the Unix epoch (UTC).
using TimeNs = qint64;

// Timestamps may be seconds, milliseconds, microseconds or nanoseconds since the epoch, integer
// or fractional; the magnitude tells them apart. Returns nullopt for values that are not a
// plausible instant (negative, zero, non-finite, after 9.2e18 ns = mid 2261, the qint64 limit).
std::optional<TimeNs> normalizeTimestamp(double value);
std::optional<TimeNs> normalizeTimestamp(qint64 value);

double toSeconds(TimeNs ns);
TimeNs fromSeconds(double seconds);

} // namespace greenpulse::core
