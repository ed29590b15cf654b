#include "runtime/Format.h"

#include "protocol/JobId.h"

#include <QDateTime>
#include <QLocale>
#include <algorithm>
#include <cmath>

namespace greenpulse::app::format {

QString number(double value, int maxDecimals)
{
    if (!std::isfinite(value)) {
        return QStringLiteral("–");
    }
    const double magnitude = std::fabs(value);
    int decimals = 0;
    if (magnitude > 0 && magnitude < 100) {
        decimals = 2 - static_cast<int>(std::floor(std::log10(magnitude)));
        decimals = std::clamp(decimals, 0, maxDecimals);
    }
    return QLocale().toString(value, 'f', decimals);
}

QString watts(double w)
{
    if (std::fabs(w) >= 1e6) {
        return number(w / 1e6) + QStringLiteral(" MW");
    }
    if (std::fabs(w) >= 10e3) {
        return number(w / 1e3) + QStringLiteral(" kW");
    }
    return QLocale().toString(w, 'f', 0) + QStringLiteral(" W");
}

QString kwh(double value)
{
    if (std::fabs(value) >= 10e3) {
        return number(value / 1e3) + QStringLiteral(" MWh");
    }
    return number(value) + QStringLiteral(" kWh");
}

QString kgCo2e(double kg)
{
    if (std::fabs(kg) >= 10e3) {
        return number(kg / 1e3) + QStringLiteral(" t");
    }
    return number(kg) + QStringLiteral(" kg");
}

QString liters(double value)
{
    if (std::fabs(value) >= 10e3) {
        return number(value / 1e3) + QStringLiteral(" m³");
    }
    return number(value, 3) + QStringLiteral(" L");
}

QString duration(double seconds)
{
    if (!std::isfinite(seconds) || seconds < 0) {
        return QStringLiteral("–");
    }
    const qint64 s = static_cast<qint64>(std::llround(seconds));
    if (s < 60) {
        return QStringLiteral("%1 s").arg(s);
    }
    if (s < 3600) {
        return QStringLiteral("%1 min %2 s").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
    }
    if (s < 86400) {
        return QStringLiteral("%1 h %2 min")
            .arg(s / 3600)
            .arg((s % 3600) / 60, 2, 10, QLatin1Char('0'));
    }
    return QStringLiteral("%1 d %2 h").arg(s / 86400).arg((s % 86400) / 3600);
}

QString percent(double fraction)
{
    return QLocale().toString(fraction * 100.0, 'f', 0) + QStringLiteral(" %");
}

QString localTime(core::TimeNs ns, bool withDate)
{
    if (ns <= 0) {
        return QStringLiteral("–");
    }
    const QDateTime t = QDateTime::fromMSecsSinceEpoch(ns / 1'000'000);
    if (withDate || t.date() != QDate::currentDate()) {
        return t.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    }
    return t.toString(QStringLiteral("HH:mm:ss"));
}

QString jobName(const QString &jobId)
{
    QString name;
    qint64 seconds = 0;
    QString suffix;
    if (core::jobid::split(jobId, &name, &seconds, &suffix)) {
        return name;
    }
    return jobId;
}

} // namespace greenpulse::app::format
