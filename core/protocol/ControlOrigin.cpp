#include "protocol/ControlOrigin.h"

namespace greenpulse::core {

namespace {
constexpr char kUserPrefix[] = "user:";
constexpr char kLegacyName[] = "legacy";
constexpr char kOperatorsName[] = "operators";
} // namespace

QString controlOriginName(const ControlOrigin &origin)
{
    switch (origin.kind) {
    case ControlOrigin::Kind::User:
        return QLatin1String(kUserPrefix) + origin.user;
    case ControlOrigin::Kind::Operators:
        return QLatin1String(kOperatorsName);
    case ControlOrigin::Kind::Legacy:
        break;
    }
    return QLatin1String(kLegacyName);
}

std::optional<ControlOrigin> controlOriginFromName(const QString &name)
{
    if (name == QLatin1String(kLegacyName)) {
        return ControlOrigin::legacy();
    }
    if (name == QLatin1String(kOperatorsName)) {
        return ControlOrigin::operators();
    }
    if (name.startsWith(QLatin1String(kUserPrefix)) && name.size() > 5) {
        return ControlOrigin::forUser(name.mid(5));
    }
    return std::nullopt;
}

std::optional<ControlOrigin> controlOriginForPublisher(const QString &mode, const QString &username)
{
    if (mode == QLatin1String("legacy") || (mode == QLatin1String("auto") && username.isEmpty())) {
        return ControlOrigin::legacy();
    }
    if ((mode == QLatin1String("auto") || mode == QLatin1String("user")) && !username.isEmpty()) {
        return ControlOrigin::forUser(username);
    }
    if (mode == QLatin1String("operators")) {
        return ControlOrigin::operators();
    }
    return std::nullopt;
}

bool mayControl(const ControlOrigin &owner, const ControlOrigin &from)
{
    return owner.kind == ControlOrigin::Kind::Legacy ||
           from.kind == ControlOrigin::Kind::Operators || owner == from;
}

} // namespace greenpulse::core
