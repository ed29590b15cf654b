#include "influx/InfluxStatus.h"

#include <iterator>

namespace greenpulse::core {

const char *influxStateName(InfluxStatus::State state)
{
    static const char *const names[] = {"off", "writing", "spooling", "auth-error", "viewing"};
    const auto i = static_cast<std::size_t>(state);
    return i < std::size(names) ? names[i] : "unknown";
}

bool operator==(const InfluxStatus &a, const InfluxStatus &b)
{
    return a.state == b.state && a.pointsWritten == b.pointsWritten &&
           a.pointsQueued == b.pointsQueued && a.pointsRetried == b.pointsRetried &&
           a.pointsRejected == b.pointsRejected && a.pointsDropped == b.pointsDropped &&
           a.spoolBytes == b.spoolBytes && a.lastError == b.lastError &&
           a.pointsNotWritten == b.pointsNotWritten && a.writerNote == b.writerNote;
}

} // namespace greenpulse::core
