#include "runtime/Format.h"

#include "protocol/JobId.h"

#include <QDateTime>
#include <QLocale>
#include <QVector>
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

namespace {

struct Rung
{
    double divisor;
    const char *unit;
};

QVector<Rung> ladder(Quantity quantity)
{
    switch (quantity) {
    case Quantity::Power:
        return {{1, "W"}, {1e3, "kW"}, {1e6, "MW"}, {1e9, "GW"}};
    case Quantity::Energy:
        return {{1e-3, "Wh"}, {1, "kWh"}, {1e3, "MWh"}, {1e6, "GWh"}};
    case Quantity::Mass:
        return {{1e-3, "g"}, {1, "kg"}, {1e3, "t"}, {1e6, "kt"}};
    case Quantity::Volume:
        return {{1e-3, "mL"}, {1, "L"}, {1e3, "m³"}};
    case Quantity::Plain:
        break;
    }
    return {{1, ""}};
}

} // namespace

Scale scaleFor(Quantity quantity, double magnitude)
{
    const QVector<Rung> rungs = ladder(quantity);
    magnitude = std::fabs(magnitude);
    // The base unit for zero or nothing; else the largest rung the magnitude reaches (with a
    // little slack so 999.9999 W from rounding reads 1 kW), the smallest below them all.
    int chosen = 0;
    for (int i = 0; i < rungs.size(); ++i) {
        if (rungs[i].divisor == 1) {
            chosen = i;
        }
    }
    if (std::isfinite(magnitude) && magnitude > 0) {
        chosen = 0;
        for (int i = 0; i < rungs.size(); ++i) {
            if (magnitude >= rungs[i].divisor * (1 - 1e-9)) {
                chosen = i;
            }
        }
    }
    return {rungs[chosen].divisor, QString::fromUtf8(rungs[chosen].unit)};
}

QString withUnit(Quantity quantity, double value)
{
    const Scale scale = scaleFor(quantity, value);
    const QString shown = number(value / scale.divisor, 2);
    return scale.unit.isEmpty() ? shown : shown + QLatin1Char(' ') + scale.unit;
}

QString tick(double value, double step)
{
    if (!std::isfinite(value)) {
        return QStringLiteral("–");
    }
    int decimals = 0;
    step = std::fabs(step);
    if (std::isfinite(step) && step > 0 && step < 1) {
        // Enough decimals to tell ticks apart (0.25 needs 2), at most 9.
        decimals = static_cast<int>(std::ceil(-std::log10(step) - 1e-9));
        const double scaled = step * std::pow(10.0, decimals);
        if (std::fabs(scaled - std::round(scaled)) > 1e-6) {
            ++decimals;
        }
        decimals = std::clamp(decimals, 0, 9);
    }
    if (std::fabs(value) < step * 1e-6) {
        value = 0; // no "-0"
    }
    return QLocale().toString(value, 'f', decimals);
}

QString watts(double w)
{
    return withUnit(Quantity::Power, w);
}

QString kwh(double value)
{
    return withUnit(Quantity::Energy, value);
}

QString kgCo2e(double kg)
{
    return withUnit(Quantity::Mass, kg);
}

QString liters(double value)
{
    return withUnit(Quantity::Volume, value);
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
