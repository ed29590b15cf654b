#include "influx/InfluxOptions.h"

#include "base/DataDir.h"

namespace greenpulse::core {

QString InfluxOptions::defaultSpoolDir(const QString &programName)
{
    return defaultDataDir() + QStringLiteral("/spool-") + programName;
}

bool operator==(const InfluxOptions &a, const InfluxOptions &b)
{
    return a.url == b.url && a.api == b.api && a.org == b.org && a.bucket == b.bucket &&
           a.database == b.database && a.retentionPolicy == b.retentionPolicy &&
           a.token == b.token && a.username == b.username && a.password == b.password &&
           a.spoolDir == b.spoolDir && a.spoolMaxBytes == b.spoolMaxBytes &&
           a.flushIntervalMs == b.flushIntervalMs && a.maxBatchLines == b.maxBatchLines &&
           a.gzip == b.gzip && a.writerMode == b.writerMode;
}

} // namespace greenpulse::core
