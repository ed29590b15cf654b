#include "accounting/GridIntensities_p.h"

#include <QJsonArray>
#include <algorithm>

namespace greenpulse::core {

namespace {

QJsonValue nsToJson(TimeNs ns)
{
    return QJsonValue(QString::number(ns));
}

TimeNs nsFromJson(const QJsonValue &v)
{
    return v.toString().toLongLong();
}

IntensityKind kindFromName(const QString &name)
{
    for (IntensityKind k :
         {IntensityKind::Lifecycle, IntensityKind::Direct, IntensityKind::Marginal}) {
        if (name == QLatin1String(intensityKindName(k))) {
            return k;
        }
    }
    return IntensityKind::Lifecycle;
}

QString labelOf(const QString &source, const QString &zone)
{
    return (source.isEmpty() ? QStringLiteral("grid") : source) + QLatin1Char('@') + zone;
}

bool byFrom(const GridIntensities::Point &p, TimeNs t)
{
    return p.fromNs < t;
}

} // namespace

GridIntensities::Added GridIntensities::add(const GridIntensity &value, TimeNs heardNs,
                                            int maxZones, int maxValues)
{
    auto found = m_zones.find(value.zone);
    if (found == m_zones.end()) {
        if (maxZones > 0 && static_cast<int>(m_zones.size()) >= maxZones) {
            ++m_counters.zonesRefused;
            return Added::Refused;
        }
        found = m_zones.emplace(value.zone, Zone{}).first;
    }
    Zone &z = found->second;
    // Heard: by receipt time only (a forecast stamped ahead does not keep a silent feed fresh).
    z.heardNs = std::max(z.heardNs, heardNs);
    for (const Point &p : z.points) {
        if (p.stampNs == value.timestampNs && p.gPerKwh == value.gCo2ePerKwh &&
            p.source == value.source) {
            ++m_counters.repeats;
            return Added::Repeat;
        }
    }
    Point p;
    p.stampNs = value.timestampNs;
    p.fromNs = std::max(value.timestampNs, z.integratedUntilNs);
    p.gPerKwh = value.gCo2ePerKwh;
    p.source = value.source;
    p.kind = value.kind;
    p.estimated = value.estimated;
    p.label = labelOf(value.source, value.zone);
    const bool late = p.fromNs != value.timestampNs;
    auto it = std::lower_bound(z.points.begin(), z.points.end(), p.fromNs, byFrom);
    if (it != z.points.end() && it->fromNs == p.fromNs) {
        *it = std::move(p); // the same instant again: the newer message wins
    } else {
        z.points.insert(it, std::move(p));
    }
    while (maxValues > 0 && static_cast<int>(z.points.size()) > maxValues) {
        z.points.erase(z.points.begin());
        ++m_counters.dropped;
    }
    ++m_counters.values;
    if (late) {
        ++m_counters.late;
        return Added::Late;
    }
    return Added::Taken;
}

GridIntensities::Zone *GridIntensities::zone(const QString &name)
{
    const auto it = m_zones.find(name);
    return it == m_zones.end() ? nullptr : &it->second;
}

const GridIntensities::Zone *GridIntensities::zone(const QString &name) const
{
    const auto it = m_zones.find(name);
    return it == m_zones.end() ? nullptr : &it->second;
}

const GridIntensities::Point *GridIntensities::at(const Zone &zone, TimeNs t)
{
    // The first point from after t; the one before it is in force.
    const auto it = std::upper_bound(zone.points.begin(), zone.points.end(), t,
                                     [](TimeNs v, const Point &p) { return v < p.fromNs; });
    return it == zone.points.begin() ? nullptr : &*(it - 1);
}

void GridIntensities::addCuts(const Zone &zone, TimeNs t0, TimeNs t1, TimeNs staleNs,
                              std::vector<TimeNs> &cuts)
{
    for (auto it = std::upper_bound(zone.points.begin(), zone.points.end(), t0,
                                    [](TimeNs v, const Point &p) { return v < p.fromNs; });
         it != zone.points.end() && it->fromNs < t1; ++it) {
        cuts.push_back(it->fromNs);
    }
    if (staleNs > 0 && zone.heardNs > 0) {
        const TimeNs staleFrom = zone.heardNs + staleNs;
        if (staleFrom > t0 && staleFrom < t1) {
            cuts.push_back(staleFrom);
        }
    }
}

std::vector<ZoneSummary> GridIntensities::summaries(TimeNs nowNs, TimeNs staleNs) const
{
    std::vector<ZoneSummary> out;
    out.reserve(m_zones.size());
    for (const auto &[name, z] : m_zones) {
        ZoneSummary s;
        s.zone = name;
        s.heardNs = z.heardNs;
        s.stale = staleNs > 0 && nowNs > z.heardNs + staleNs;
        s.values = static_cast<int>(z.points.size());
        if (!z.points.empty()) {
            const Point &p = z.points.back();
            s.gCo2ePerKwh = p.gPerKwh;
            s.fromNs = p.fromNs;
            s.source = p.source;
            s.kind = p.kind;
            s.estimated = p.estimated;
        }
        out.push_back(std::move(s));
    }
    std::sort(out.begin(), out.end(),
              [](const ZoneSummary &a, const ZoneSummary &b) { return a.zone < b.zone; });
    return out;
}

QJsonObject GridIntensities::toJson() const
{
    QJsonObject zones;
    for (const auto &[name, z] : m_zones) {
        QJsonArray points;
        for (const Point &p : z.points) {
            points.append(QJsonArray{nsToJson(p.fromNs), nsToJson(p.stampNs), p.gPerKwh, p.source,
                                     QLatin1String(intensityKindName(p.kind)), p.estimated});
        }
        zones[name] =
            QJsonObject{{QStringLiteral("heard"), nsToJson(z.heardNs)},
                        {QStringLiteral("integrated_until"), nsToJson(z.integratedUntilNs)},
                        {QStringLiteral("values"), points}};
    }
    const GridCounters &c = m_counters;
    return QJsonObject{
        {QStringLiteral("zones"), zones},
        {QStringLiteral("counters"),
         QJsonObject{{QStringLiteral("values"), QString::number(c.values)},
                     {QStringLiteral("repeats"), QString::number(c.repeats)},
                     {QStringLiteral("late"), QString::number(c.late)},
                     {QStringLiteral("dropped"), QString::number(c.dropped)},
                     {QStringLiteral("zones_refused"), QString::number(c.zonesRefused)},
                     {QStringLiteral("stale_s"), c.staleSeconds},
                     {QStringLiteral("fallback_s"), c.fallbackSeconds}}}};
}

void GridIntensities::restore(const QJsonObject &json)
{
    m_zones.clear();
    const QJsonObject zones = json.value(QLatin1String("zones")).toObject();
    for (auto it = zones.begin(); it != zones.end(); ++it) {
        const QJsonObject o = it.value().toObject();
        Zone z;
        z.heardNs = nsFromJson(o.value(QLatin1String("heard")));
        z.integratedUntilNs = nsFromJson(o.value(QLatin1String("integrated_until")));
        for (const QJsonValue &v : o.value(QLatin1String("values")).toArray()) {
            const QJsonArray a = v.toArray();
            if (a.size() < 6 || !a.at(2).isDouble()) {
                continue;
            }
            Point p{nsFromJson(a.at(0)),
                    nsFromJson(a.at(1)),
                    a.at(2).toDouble(),
                    a.at(3).toString(),
                    kindFromName(a.at(4).toString()),
                    a.at(5).toBool(),
                    labelOf(a.at(3).toString(), it.key())};
            z.points.push_back(std::move(p));
        }
        std::sort(z.points.begin(), z.points.end(),
                  [](const Point &a, const Point &b) { return a.fromNs < b.fromNs; });
        m_zones.emplace(it.key(), std::move(z));
    }
    const QJsonObject c = json.value(QLatin1String("counters")).toObject();
    auto count = [&](const char *key) {
        return c.value(QLatin1String(key)).toString().toULongLong();
    };
    m_counters.values = count("values");
    m_counters.repeats = count("repeats");
    m_counters.late = count("late");
    m_counters.dropped = count("dropped");
    m_counters.zonesRefused = count("zones_refused");
    m_counters.staleSeconds = c.value(QLatin1String("stale_s")).toDouble();
    m_counters.fallbackSeconds = c.value(QLatin1String("fallback_s")).toDouble();
}

} // namespace greenpulse::core
