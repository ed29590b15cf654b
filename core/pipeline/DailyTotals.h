#pragma once

// Energy, carbon and water per local day (what the dashboard shows as "today"). The ledger keeps
// totals per job, which only grow, until an ended job is forgotten; the days are built from how
// much the sum over every job grew between two ticks, so forgetting a job loses nothing here.
// Saved in the state file under "days" (ProcessorState).

#include "accounting/LedgerTypes.h"

#include <QDate>
#include <QJsonObject>
#include <QMap>
#include <vector>

namespace greenpulse::core {

struct DayTotals
{
    double kwh = 0;           // IT energy
    double co2eKg = 0;        // operational carbon, at the intensities in force
    double liters = 0;        // coolant circulated (the loop's flow), not water consumed
    double facilityKwh = 0;   // IT kWh x PUE
    double waterOnsiteL = 0;  // IT kWh x WUE of each host's zone
    double waterOffsiteL = 0; // facility kWh x EWIF of each host's zone
    double embodiedKg = 0;    // the hosts' embodied carbon charged to jobs

    double waterL() const { return waterOnsiteL + waterOffsiteL; } // water consumed, estimated

    void add(const JobSummary &job);
    void subtract(const JobSummary &job);

    // Each figure once: its key in the state file and the ledger feed, and where it is in a day
    // and in a job. A day saved before a key existed reads that figure as 0.
    struct Field
    {
        const char *key;
        double DayTotals::*day;
        double (*ofJob)(const JobSummary &);
        bool footprint; // came with the footprint: a feed from an older processor has none
    };
    static const std::vector<Field> &fields();
    QJsonObject toJson() const;
    static DayTotals fromJson(const QJsonObject &o);
};

class DailyTotals
{
public:
    static constexpr int kMaxDays = 400; // a year of daily totals is plenty

    // The sum over `jobs` becomes the base that the next advance() measures growth from.
    void resetBase(const std::vector<JobSummary> &jobs);
    // What `sum` (over every job the ledger has now) grew since the last call goes to the local
    // day of `nowNs`; `sum` becomes the new base. Never negative; the oldest days beyond kMaxDays
    // are dropped.
    void advance(TimeNs nowNs, const DayTotals &sum);
    // The ledger forgot `job`: its energy stays in the days and leaves the base.
    void forget(const JobSummary &job) { m_base.subtract(job); }

    DayTotals day(TimeNs nowNs) const; // the local day of `nowNs`; zero when none
    const QMap<QDate, DayTotals> &days() const { return m_days; }

    // {"2025-11-25": {"kwh", "co2e_kg", "liters", "facility_kwh", ...}, ...}
    QJsonObject toJson() const;
    void restore(const QJsonObject &days);

private:
    static QDate localDay(TimeNs nowNs);

    QMap<QDate, DayTotals> m_days;
    DayTotals m_base; // sums over every job at the last advance()
};

} // namespace greenpulse::core
