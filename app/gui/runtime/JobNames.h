#pragma once

// Names the window gives to jobs. Time with no job has one name everywhere (the jobs table, the
// charts' legends, the CSV export): "idle", its id in the ledger and in InfluxDB.

#include "protocol/JobId.h"

#include <QString>

namespace greenpulse::app {

inline QString idleJobName()
{
    return QString::fromLatin1(core::jobid::kIdle);
}

} // namespace greenpulse::app
