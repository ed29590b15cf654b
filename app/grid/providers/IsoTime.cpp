#include "IsoTime.h"

#include <QDateTime>
#include <QTimeZone>

namespace greenpulse::grid {

std::optional<core::TimeNs> parseIsoTime(const QString &text)
{
    const QString trimmed = text.trimmed();
    // A date alone, or words, are not instants; Qt would read "2025-11-25" as midnight.
    if (trimmed.size() < 16 || trimmed.at(10) != QLatin1Char('T')) {
        return std::nullopt;
    }
    QDateTime time = QDateTime::fromString(trimmed, Qt::ISODateWithMs);
    if (!time.isValid()) {
        return std::nullopt;
    }
    if (time.timeSpec() == Qt::LocalTime) { // no offset written: UTC, whatever TZ says
        time.setTimeZone(QTimeZone::utc());
    }
    const qint64 ms = time.toMSecsSinceEpoch();
    if (ms <= 0) {
        return std::nullopt;
    }
    return static_cast<core::TimeNs>(ms) * 1'000'000;
}

QString isoTime(core::TimeNs ns)
{
    return QDateTime::fromMSecsSinceEpoch(ns / 1'000'000, QTimeZone::utc())
        .toString(Qt::ISODateWithMs);
}

} // namespace greenpulse::grid
