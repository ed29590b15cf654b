#include "pipeline/DailyTotals.h"

#include <QDateTime>
#include <algorithm>

namespace greenpulse::core {

void DayTotals::add(const JobSummary &job)
{
    kwh += job.kwh;
    co2eKg += job.co2eKg;
    liters += job.liters;
}

void DayTotals::subtract(const JobSummary &job)
{
    kwh -= job.kwh;
    co2eKg -= job.co2eKg;
    liters -= job.liters;
}

QDate DailyTotals::localDay(TimeNs nowNs)
{
    return QDateTime::fromMSecsSinceEpoch(nowNs / 1'000'000).date();
}

void DailyTotals::resetBase(const std::vector<JobSummary> &jobs)
{
    m_base = {};
    for (const JobSummary &job : jobs) {
        m_base.add(job);
    }
}

void DailyTotals::advance(TimeNs nowNs, const DayTotals &sum)
{
    DayTotals &today = m_days[localDay(nowNs)];
    today.kwh += std::max(0.0, sum.kwh - m_base.kwh);
    today.co2eKg += std::max(0.0, sum.co2eKg - m_base.co2eKg);
    today.liters += std::max(0.0, sum.liters - m_base.liters);
    m_base = sum;
    while (m_days.size() > kMaxDays) {
        m_days.erase(m_days.begin());
    }
}

DayTotals DailyTotals::day(TimeNs nowNs) const
{
    return m_days.value(localDay(nowNs));
}

QJsonObject DailyTotals::toJson() const
{
    QJsonObject out;
    for (auto it = m_days.cbegin(); it != m_days.cend(); ++it) {
        out[it.key().toString(Qt::ISODate)] = QJsonObject{{QStringLiteral("kwh"), it->kwh},
                                                          {QStringLiteral("co2e_kg"), it->co2eKg},
                                                          {QStringLiteral("liters"), it->liters}};
    }
    return out;
}

void DailyTotals::restore(const QJsonObject &days)
{
    m_days.clear();
    for (auto it = days.begin(); it != days.end(); ++it) {
        const QJsonObject d = it.value().toObject();
        m_days.insert(QDate::fromString(it.key(), Qt::ISODate),
                      DayTotals{d.value(QLatin1String("kwh")).toDouble(),
                                d.value(QLatin1String("co2e_kg")).toDouble(),
                                d.value(QLatin1String("liters")).toDouble()});
    }
}

} // namespace greenpulse::core
