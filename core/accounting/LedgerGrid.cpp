// The Ledger's grid carbon intensities (docs/footprint.md, "Carbon that varies"): taking a
// zone's values and reporting the zones. The charging rule is in LedgerFootprint.cpp.

#include "accounting/Ledger.h"
#include "accounting/LedgerState_p.h"
#include "base/Logging.h"

namespace greenpulse::core {

Ledger::Result Ledger::addGridIntensity(const GridIntensity &value)
{
    const FootprintConfig &fc = m_config.footprint;
    const TimeNs heard = value.receiptNs != 0 ? value.receiptNs : m_clock.nowNs();
    const GridIntensities::Added added =
        d->grid.add(value, heard, fc.maxGridZones, fc.maxValuesPerZone);
    if (added == GridIntensities::Added::Refused) {
        return Result::TooManyIds;
    }
    if (added == GridIntensities::Added::Late) {
        qCDebug(lcLedger) << "grid intensity for" << value.zone
                          << "stamped before what is already integrated: applied from there on";
    }
    ++m_revision;
    return Result::Accepted;
}

std::vector<ZoneSummary> Ledger::zones() const
{
    return d->grid.summaries(m_clock.nowNs(),
                             static_cast<TimeNs>(m_config.footprint.gridStaleSeconds * 1e9));
}

const GridCounters &Ledger::gridCounters() const
{
    return d->grid.counters();
}

QJsonObject Ledger::gridJson() const
{
    const GridCounters &c = d->grid.counters();
    QJsonObject zones;
    for (const ZoneSummary &z : this->zones()) {
        zones[z.zone] = QJsonObject{
            {QStringLiteral("g_co2e_per_kwh"),
             z.values > 0 ? QJsonValue(z.gCo2ePerKwh) : QJsonValue()},
            {QStringLiteral("from"), z.values > 0 ? QJsonValue(toSeconds(z.fromNs)) : QJsonValue()},
            {QStringLiteral("source"), z.source},
            {QStringLiteral("kind"), QLatin1String(intensityKindName(z.kind))},
            {QStringLiteral("estimated"), z.estimated},
            {QStringLiteral("heard"), toSeconds(z.heardNs)},
            {QStringLiteral("stale"), z.stale},
            {QStringLiteral("values"), z.values}};
    }
    return QJsonObject{{QStringLiteral("values"), static_cast<qint64>(c.values)},
                       {QStringLiteral("repeats"), static_cast<qint64>(c.repeats)},
                       {QStringLiteral("late"), static_cast<qint64>(c.late)},
                       {QStringLiteral("dropped"), static_cast<qint64>(c.dropped)},
                       {QStringLiteral("zones_refused"), static_cast<qint64>(c.zonesRefused)},
                       {QStringLiteral("stale_s"), c.staleSeconds},
                       {QStringLiteral("fallback_s"), c.fallbackSeconds},
                       {QStringLiteral("zones"), zones}};
}

} // namespace greenpulse::core
