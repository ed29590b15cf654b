#pragma once

// Whether InfluxWriter can write its spool (a full disk, a read-only file system), said once per
// change instead of once per attempt: one warning when writing starts failing, one line when it
// works again with how many writes failed and how many points were dropped meanwhile, and one
// warning (per failing period) when the points waiting in memory pass the spool's bound and are
// dropped. The counting of dropped points itself stays in InfluxStatus::pointsDropped. When to
// say it is LogThrottle's (once per change); what to say is here.

#include "base/LogThrottle.h"

#include <QString>

namespace greenpulse::core {

class SpoolHealth
{
public:
    // A spool write failed with `error`; `boundBytes` is --spool-max-mb in bytes.
    void failed(const QString &error, qint64 boundBytes);
    // A spool write worked; true when it had been failing (the recovery is logged).
    bool succeeded();
    // `lines` points held in memory were dropped because they passed the bound.
    void droppedFromMemory(quint64 lines, qint64 boundBytes);

    bool isFailing() const { return m_writes.isFailing(); }

private:
    LogThrottle m_writes; // spool writes failing
    LogThrottle m_drops;  // points dropped from memory, once per failing period
    quint64 m_dropped = 0;
};

} // namespace greenpulse::core
