#include "accounting/LedgerFootprint_p.h"
#include "accounting/LedgerIntegration_p.h"

#include <QJsonArray>
#include <algorithm>

namespace greenpulse::core::ledgerfootprint {

namespace {

using ledgerintegration::kJoulesPerKwh;
constexpr double kSecondsPerYear = 365.25 * 24 * 3600;

const QString &constantLabel()
{
    static const QString label = QStringLiteral("constant");
    return label;
}

void noteSource(JobFootprint &fp, const QString &label)
{
    if (!fp.sources.isEmpty() && fp.sources.constLast() == label) {
        return; // the common case: the same source as the last piece
    }
    if (fp.sources.contains(label)) {
        return;
    }
    if (fp.sources.size() < JobFootprint::kMaxSources) {
        fp.sources.append(label);
    } else {
        ++fp.moreSources;
    }
}

} // namespace

QString zoneOf(const LedgerConfig &cfg, const LedgerState::Host &host)
{
    if (!host.zone.isEmpty()) {
        return host.zone;
    }
    const FootprintConfig &fc = cfg.footprint;
    if (!fc.hostZones.isEmpty()) {
        const auto it = fc.hostZones.constFind(host.name);
        if (it != fc.hostZones.constEnd()) {
            return it.value();
        }
    }
    return fc.gridZone;
}

HostFactors factorsFor(LedgerState &state, const LedgerConfig &cfg, const LedgerState::Host &host)
{
    const FootprintConfig &fc = cfg.footprint;
    HostFactors f;
    f.grid = &state.grid;
    f.pue = cfg.pue;
    f.fallbackKgPerKwh = cfg.carbonKgPerKwh;
    f.staleNs = static_cast<TimeNs>(fc.gridStaleSeconds * 1e9);
    f.wue = fc.wueLPerKwh;
    f.ewif = fc.ewifLPerKwh;
    const QString zone = zoneOf(cfg, host);
    if (!zone.isEmpty()) {
        f.hasZone = true;
        f.zone = state.grid.zone(zone);
        f.wue = fc.zoneWue.value(zone, fc.wueLPerKwh);
        f.ewif = fc.zoneEwif.value(zone, fc.ewifLPerKwh);
    }
    const double embodied = fc.hostEmbodiedKg.value(host.name, fc.embodiedKg);
    const double years = fc.hostLifetimeYears.value(host.name, fc.lifetimeYears);
    if (embodied > 0 && years > 0) {
        f.embodiedKgPerS = embodied / (years * kSecondsPerYear);
    }
    return f;
}

void addCuts(const HostFactors &f, TimeNs t0, TimeNs t1, std::vector<TimeNs> &cuts)
{
    if (!f.zone) {
        return;
    }
    const size_t before = cuts.size();
    GridIntensities::addCuts(*f.zone, t0, t1, f.staleNs, cuts);
    if (cuts.size() != before) {
        std::sort(cuts.begin(), cuts.end());
        cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
    }
}

PieceFactors pieceAt(const HostFactors &f, TimeNs mid, double seconds)
{
    PieceFactors p;
    const GridIntensities::Point *point = f.zone ? GridIntensities::at(*f.zone, mid) : nullptr;
    if (!point) {
        p.kgPerKwh = f.fallbackKgPerKwh;
        p.fallback = true;
        p.label = &constantLabel();
        if (f.hasZone) {
            f.grid->counters().fallbackSeconds += seconds;
        }
        return p;
    }
    p.kgPerKwh = point->gPerKwh / 1000.0;
    p.label = &point->label;
    p.stale = f.staleNs > 0 && mid > f.zone->heardNs + f.staleNs;
    if (p.stale) {
        f.grid->counters().staleSeconds += seconds;
    }
    return p;
}

void charge(LedgerState::Job &job, const HostFactors &f, const PieceFactors &p, double joules,
            double seconds, double holders)
{
    JobFootprint &fp = job.footprint;
    const double kwh = joules / kJoulesPerKwh;
    const double facility = kwh * f.pue;
    job.co2eKg += facility * p.kgPerKwh;
    fp.facilityKwh += facility;
    fp.waterOnsiteL += kwh * f.wue;
    fp.waterOffsiteL += facility * f.ewif;
    fp.embodiedKg += f.embodiedKgPerS * seconds / holders;
    if (p.stale) {
        fp.staleSeconds += seconds;
    }
    if (p.fallback) {
        fp.fallbackSeconds += seconds;
    }
    const double g = p.kgPerKwh * 1000.0;
    if (!fp.hasIntensity) {
        fp.minGPerKwh = fp.maxGPerKwh = g;
        fp.hasIntensity = true;
    } else {
        fp.minGPerKwh = std::min(fp.minGPerKwh, g);
        fp.maxGPerKwh = std::max(fp.maxGPerKwh, g);
    }
    noteSource(fp, *p.label);
}

void finish(const HostFactors &f, TimeNs t1)
{
    if (f.zone) {
        f.zone->integratedUntilNs = std::max(f.zone->integratedUntilNs, t1);
    }
}

void save(const JobFootprint &fp, QJsonObject *job)
{
    QJsonObject o{{QStringLiteral("facility_kwh"), fp.facilityKwh},
                  {QStringLiteral("water_onsite_l"), fp.waterOnsiteL},
                  {QStringLiteral("water_offsite_l"), fp.waterOffsiteL},
                  {QStringLiteral("embodied_kg"), fp.embodiedKg},
                  {QStringLiteral("stale_s"), fp.staleSeconds},
                  {QStringLiteral("fallback_s"), fp.fallbackSeconds},
                  {QStringLiteral("sources"), QJsonArray::fromStringList(fp.sources)},
                  {QStringLiteral("more_sources"), fp.moreSources}};
    if (fp.hasIntensity) {
        o[QLatin1String("min_g")] = fp.minGPerKwh;
        o[QLatin1String("max_g")] = fp.maxGPerKwh;
    }
    (*job)[QLatin1String("footprint")] = o;
}

void load(const QJsonObject &job, JobFootprint *fp)
{
    const QJsonObject o = job.value(QLatin1String("footprint")).toObject();
    fp->facilityKwh = o.value(QLatin1String("facility_kwh")).toDouble();
    fp->waterOnsiteL = o.value(QLatin1String("water_onsite_l")).toDouble();
    fp->waterOffsiteL = o.value(QLatin1String("water_offsite_l")).toDouble();
    fp->embodiedKg = o.value(QLatin1String("embodied_kg")).toDouble();
    fp->staleSeconds = o.value(QLatin1String("stale_s")).toDouble();
    fp->fallbackSeconds = o.value(QLatin1String("fallback_s")).toDouble();
    fp->hasIntensity = o.contains(QLatin1String("min_g"));
    fp->minGPerKwh = o.value(QLatin1String("min_g")).toDouble();
    fp->maxGPerKwh = o.value(QLatin1String("max_g")).toDouble();
    fp->sources.clear();
    for (const QJsonValue &v : o.value(QLatin1String("sources")).toArray()) {
        if (fp->sources.size() < JobFootprint::kMaxSources) {
            fp->sources.append(v.toString());
        }
    }
    fp->moreSources = o.value(QLatin1String("more_sources")).toInt();
}

void toJson(const JobSummary &job, QJsonObject *o)
{
    const JobFootprint &fp = job.footprint;
    (*o)[QLatin1String("facility_kwh")] = fp.facilityKwh;
    (*o)[QLatin1String("water_onsite_l")] = fp.waterOnsiteL;
    (*o)[QLatin1String("water_offsite_l")] = fp.waterOffsiteL;
    (*o)[QLatin1String("water_l")] = fp.waterL();
    (*o)[QLatin1String("embodied_co2e_kg")] = fp.embodiedKg;
    (*o)[QLatin1String("sci_co2e_kg")] = job.sciKg();
    (*o)[QLatin1String("carbon_stale_s")] = fp.staleSeconds;
    (*o)[QLatin1String("carbon_fallback_s")] = fp.fallbackSeconds;
    (*o)[QLatin1String("intensity_min_g")] =
        fp.hasIntensity ? QJsonValue(fp.minGPerKwh) : QJsonValue();
    (*o)[QLatin1String("intensity_max_g")] =
        fp.hasIntensity ? QJsonValue(fp.maxGPerKwh) : QJsonValue();
    (*o)[QLatin1String("carbon_sources")] = QJsonArray::fromStringList(fp.sources);
}

} // namespace greenpulse::core::ledgerfootprint
