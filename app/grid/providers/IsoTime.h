#pragma once

#include "base/Timestamp.h"

#include <QString>
#include <optional>

namespace greenpulse::grid {

// An ISO 8601 instant as providers and schedule files write it: "2025-11-25T05:00:00.000Z"
// (Electricity Maps), "2025-11-25T05:00Z" (carbonintensity.org.uk, no seconds),
// "2025-11-25T06:00:00+01:00". An instant without an offset is UTC. nullopt: not such an instant.
std::optional<core::TimeNs> parseIsoTime(const QString &text);

// The instant as ISO 8601 in UTC with milliseconds, for log lines.
QString isoTime(core::TimeNs ns);

} // namespace greenpulse::grid
