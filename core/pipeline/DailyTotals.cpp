#include "pipeline/DailyTotals.h"

#include <QDateTime>
#include <algorithm>

namespace greenpulse::core {

const std::vector<DayTotals::Field> &DayTotals::fields()
{
    static const std::vector<Field> table = {
        {"kwh", &DayTotals::kwh, [](const JobSummary &j) { return j.kwh; }, false},
        {"co2e_kg", &DayTotals::co2eKg, [](const JobSummary &j) { return j.co2eKg; }, false},
        {"liters", &DayTotals::liters, [](const JobSummary &j) { return j.liters; }, false},
        {"facility_kwh", &DayTotals::facilityKwh,
         [](const JobSummary &j) { return j.footprint.facilityKwh; }, true},
        {"water_onsite_l", &DayTotals::waterOnsiteL,
         [](const JobSummary &j) { return j.footprint.waterOnsiteL; }, true},
        {"water_offsite_l", &DayTotals::waterOffsiteL,
         [](const JobSummary &j) { return j.footprint.waterOffsiteL; }, true},
        {"embodied_co2e_kg", &DayTotals::embodiedKg,
         [](const JobSummary &j) { return j.footprint.embodiedKg; }, true},
    };
    return table;
}

void DayTotals::add(const JobSummary &job)
{
    for (const Field &f : fields()) {
        this->*f.day += f.ofJob(job);
    }
}

void DayTotals::subtract(const JobSummary &job)
{
    for (const Field &f : fields()) {
        this->*f.day -= f.ofJob(job);
    }
}

QJsonObject DayTotals::toJson() const
{
    QJsonObject out;
    for (const Field &f : fields()) {
        out[QLatin1String(f.key)] = this->*f.day;
    }
    return out;
}

DayTotals DayTotals::fromJson(const QJsonObject &o)
{
    DayTotals d;
    for (const Field &f : fields()) {
        d.*f.day = o.value(QLatin1String(f.key)).toDouble();
    }
    return d;
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
    for (const DayTotals::Field &f : DayTotals::fields()) {
        today.*f.day += std::max(0.0, sum.*f.day - m_base.*f.day);
    }
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
        out[it.key().toString(Qt::ISODate)] = it->toJson();
    }
    return out;
}

void DailyTotals::restore(const QJsonObject &days)
{
    m_days.clear();
    for (auto it = days.begin(); it != days.end(); ++it) {
        m_days.insert(QDate::fromString(it.key(), Qt::ISODate),
                      DayTotals::fromJson(it.value().toObject()));
    }
}

} // namespace greenpulse::core
