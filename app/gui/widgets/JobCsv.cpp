#include "widgets/JobCsv.h"

#include "protocol/JobId.h"
#include "runtime/JobNames.h"

#include <QDateTime>
#include <QLocale>
#include <QTimeZone>
#include <cmath>

namespace greenpulse::app::jobcsv {

QString status(const core::JobSummary &job)
{
    if (job.jobId == QLatin1String(core::jobid::kIdle)) {
        return idleJobName();
    }
    return job.running ? QStringLiteral("running") : QStringLiteral("ended");
}

QString field(QString text)
{
    if (text.contains(QLatin1Char(',')) || text.contains(QLatin1Char('"')) ||
        text.contains(QLatin1Char('\n'))) {
        text.replace(QStringLiteral("\""), QStringLiteral("\"\""));
        return QLatin1Char('"') + text + QLatin1Char('"');
    }
    return text;
}

QString isoTime(core::TimeNs ns)
{
    if (ns <= 0) {
        return {};
    }
    return QDateTime::fromMSecsSinceEpoch(ns / 1'000'000, Qt::UTC).toString(Qt::ISODateWithMs);
}

QString isoTimeMs(double ms)
{
    return isoTime(static_cast<core::TimeNs>(std::llround(ms)) * 1'000'000);
}

QString exact(double value)
{
    return QString::number(value, 'g', QLocale::FloatingPointShortest);
}

} // namespace greenpulse::app::jobcsv
