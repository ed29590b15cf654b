#pragma once

// The keys of the chart series in the SeriesStore: "<kind>/<name>", the name being a host or a
// job id. The processor appends under them and the charts read them back by prefix; this is the
// only place that spells them.

#include <QString>

namespace greenpulse::core::serieskeys {

enum class Kind {
    Power,  // per host: latest watts
    Flow,   // per host: coolant flow, l/min
    Temp,   // per host: coolant temperature, °C
    Kwh,    // per job: energy so far
    Co2e,   // per job: kg CO2e so far
    Liters, // per job: water so far
};

// "power/", "flow/", ...: every key of `kind` starts with it.
inline QString prefix(Kind kind)
{
    switch (kind) {
    case Kind::Power:
        return QStringLiteral("power/");
    case Kind::Flow:
        return QStringLiteral("flow/");
    case Kind::Temp:
        return QStringLiteral("temp/");
    case Kind::Kwh:
        return QStringLiteral("kwh/");
    case Kind::Co2e:
        return QStringLiteral("co2e/");
    case Kind::Liters:
        return QStringLiteral("liters/");
    }
    return {};
}

// The series of `kind` for host or job `name`, e.g. key(Kind::Power, "gpu-01") == "power/gpu-01".
inline QString key(Kind kind, const QString &name)
{
    return prefix(kind) + name;
}

// Whether `key` is one of a host's series (power, flow, temperature) rather than a job's.
inline bool isHostKey(const QString &key)
{
    for (Kind kind : {Kind::Power, Kind::Flow, Kind::Temp}) {
        if (key.startsWith(prefix(kind))) {
            return true;
        }
    }
    return false;
}

// The host or job a key of `kind` names; empty when `key` is not one of `kind`.
inline QString name(Kind kind, const QString &key)
{
    const QString p = prefix(kind);
    return key.startsWith(p) ? key.mid(p.size()) : QString();
}

} // namespace greenpulse::core::serieskeys
