#pragma once

// Who sent a control message, read once from its topic, and who may end or restart a job.
// See docs/security.md.
//
//   greenpulse/control               Legacy: anyone the broker lets write it (the seed's topic)
//   greenpulse/control/<user>        User: written only by <user> under the shipped ACL
//   greenpulse/operators/control     Operators: may end any job
//
// The operators' topic lives outside greenpulse/control/ so that no user name (not even
// "operators") can reach it through the per-user pattern.

#include <QByteArrayView>
#include <QString>
#include <optional>

namespace greenpulse::core {

struct ControlOrigin
{
    enum class Kind { Legacy, User, Operators };
    Kind kind = Kind::Legacy;
    QString user; // Kind::User only

    static ControlOrigin legacy() { return {}; }
    static ControlOrigin operators() { return {Kind::Operators, {}}; }
    static ControlOrigin forUser(QString name) { return {Kind::User, std::move(name)}; }

    bool operator==(const ControlOrigin &other) const
    {
        return kind == other.kind && user == other.user;
    }
    bool operator!=(const ControlOrigin &other) const { return !(*this == other); }
};

// "legacy", "user:<name>" or "operators": for logs, counters and the state file.
QString controlOriginName(const ControlOrigin &origin);
// The inverse of controlOriginName(); nullopt for anything else.
std::optional<ControlOrigin> controlOriginFromName(const QString &name);

// May a control message from `from` end (or restart) a job started from `owner`?
//  - a job started on the legacy topic has no owner: any control topic may end it;
//  - the operators' topic may end any job;
//  - a user's job only from that user's topic (a legacy end is refused: the legacy topic is
//    writable by more than one account on most sites).
bool mayControl(const ControlOrigin &owner, const ControlOrigin &from);

// Where our own publishers (greenpulse-job, the dashboard) send control messages, from
// --control-topic: "auto" (the user's topic when an MQTT user name is set, else the legacy
// topic), "legacy", "user" (needs `username`) or "operators". nullopt for anything else.
inline constexpr const char *kControlTopicModes = "auto|legacy|user|operators";
std::optional<ControlOrigin> controlOriginForPublisher(const QString &mode,
                                                       const QString &username);

} // namespace greenpulse::core
