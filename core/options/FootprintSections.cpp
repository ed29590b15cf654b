#include "options/FootprintSections.h"

#include <algorithm>

namespace greenpulse::core::footprintsections {

namespace {

enum class Value { Zone, Water, Embodied, Lifetime };

struct Section
{
    const char *name;
    Value value;
};

constexpr Section kSections[] = {
    {"host-zones", Value::Zone},
    {"zone-wue", Value::Water},
    {"zone-ewif", Value::Water},
    {"host-embodied-kg", Value::Embodied},
    {"host-lifetime-years", Value::Lifetime},
};

// The entries of one section: key (without the section) -> value, sorted by key.
QList<std::pair<QString, QString>> entries(const QHash<QString, QString> &config,
                                           const Section &section)
{
    const QString prefix = QLatin1String(section.name) + QLatin1Char('/');
    QList<std::pair<QString, QString>> out;
    for (auto it = config.constBegin(); it != config.constEnd(); ++it) {
        if (it.key().startsWith(prefix)) {
            out.append({it.key().mid(prefix.size()), it.value().trimmed()});
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::optional<QString> valueProblem(Value kind, const QString &v)
{
    if (kind == Value::Zone) {
        if (v.isEmpty() || v.contains(QLatin1Char('/')) || v.contains(QLatin1Char('+')) ||
            v.contains(QLatin1Char('#'))) {
            return QStringLiteral("must be a zone code (no '/', '+' or '#')");
        }
        return std::nullopt;
    }
    double min = 0;
    double max = kMaxWaterLPerKwh;
    if (kind == Value::Embodied) {
        max = kMaxEmbodiedKg;
    } else if (kind == Value::Lifetime) {
        min = kMinLifetimeYears;
        max = kMaxLifetimeYears;
    }
    bool ok = false;
    const double d = v.toDouble(&ok);
    if (!ok || !(d >= min && d <= max)) {
        return QStringLiteral("must be a number from %1 to %2").arg(min).arg(max);
    }
    return std::nullopt;
}

} // namespace

std::optional<QString> problem(const QHash<QString, QString> &config)
{
    for (const Section &section : kSections) {
        for (const auto &[key, value] : entries(config, section)) {
            if (const auto p = valueProblem(section.value, value)) {
                return QStringLiteral("[%1] %2: %3, got \"%4\"")
                    .arg(QLatin1String(section.name), key, *p, value);
            }
        }
    }
    return std::nullopt;
}

void apply(const QHash<QString, QString> &config, FootprintConfig *fp)
{
    for (const Section &section : kSections) {
        const QLatin1String name(section.name);
        for (const auto &[key, value] : entries(config, section)) {
            if (valueProblem(section.value, value)) {
                continue;
            }
            if (name == QLatin1String("host-zones")) {
                fp->hostZones.insert(key, value);
            } else if (name == QLatin1String("zone-wue")) {
                fp->zoneWue.insert(key, value.toDouble());
            } else if (name == QLatin1String("zone-ewif")) {
                fp->zoneEwif.insert(key, value.toDouble());
            } else if (name == QLatin1String("host-embodied-kg")) {
                fp->hostEmbodiedKg.insert(key, value.toDouble());
            } else {
                fp->hostLifetimeYears.insert(key, value.toDouble());
            }
        }
    }
}

QStringList describe(const QHash<QString, QString> &config)
{
    QStringList lines;
    for (const Section &section : kSections) {
        for (const auto &[key, value] : entries(config, section)) {
            lines << QStringLiteral("[%1] %2=%3  (config file)")
                         .arg(QLatin1String(section.name), key, value);
        }
    }
    return lines;
}

} // namespace greenpulse::core::footprintsections
