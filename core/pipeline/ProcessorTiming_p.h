#pragma once

// Time constants the processor's parts share (Processor, SnapshotPublisher).

#include "base/Timestamp.h"

namespace greenpulse::core::processortiming {

inline constexpr TimeNs kNsPerSecond = 1'000'000'000LL;
// Ended jobs keep getting points this long after their end, so the last one carries the tail
// integrated once the host's next sample arrived: the job's final totals.
inline constexpr TimeNs kFinalPointDelayNs = 3 * kNsPerSecond;
// Hosts silent for longer than this get no telemetry point and count for no "power now".
inline constexpr TimeNs kHostStaleNs = 60 * kNsPerSecond;

} // namespace greenpulse::core::processortiming
