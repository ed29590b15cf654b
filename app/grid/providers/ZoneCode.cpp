#include "ZoneCode.h"

#include "protocol/Protocol.h"

namespace greenpulse::grid {

std::optional<QString> zoneProblem(const QString &zone)
{
    if (zone.isEmpty()) {
        return QStringLiteral("the zone is empty");
    }
    const QByteArray topic = core::topics::gridCarbonIntensity(zone);
    if (core::classifyTopic(topic) != core::TopicKind::GridIntensity) {
        return QStringLiteral("is not one topic level (no '/', '+' or '#')");
    }
    core::GridIntensity probe;
    probe.zone = zone;
    probe.timestampNs = core::fromSeconds(1);
    const core::Decoded decoded = core::decode(topic, core::encode(probe), 1);
    if (const auto *rejection = std::get_if<core::Rejection>(&decoded)) {
        return rejection->detail;
    }
    return std::nullopt;
}

} // namespace greenpulse::grid
