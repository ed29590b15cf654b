#pragma once

// The default MQTT client id of every GreenPulse program (docs/protocol.md, "Client ids"): one
// that no other running instance on this machine uses, yet stable across restarts.
//
// "<program>-<host>" for the first instance talking to a broker, "<program>-<host>-2" for a
// second one running at the same time, and so on. Each instance holds a lock file for its id
// (in the user's runtime folder) as long as it lives: a restarted processor gets its old id back,
// so the broker's persistent session (our QoS 1 messages queued while we were away) is its own,
// and two dashboards on one desktop never take each other's session over.

#include <QHash>
#include <QString>
#include <memory>
#include <vector>

class QLockFile;

namespace greenpulse::core {

class ClientIds
{
public:
    // `lockDir` empty: $XDG_RUNTIME_DIR/greenpulse-client-ids, or without that variable
    // /tmp/greenpulse-client-ids-<uid>.
    explicit ClientIds(QString lockDir = {});
    ~ClientIds();
    ClientIds(const ClientIds &) = delete;
    ClientIds &operator=(const ClientIds &) = delete;

    // "<program>-<host>" with every character outside [A-Za-z0-9._-] replaced by '_'.
    static QString base(const QString &program, const QString &host);

    // The id this instance uses for `base` on `brokerUrl`: the same one for every call, the first
    // free of base, base-2, base-3... (at most kMaxSlots, then base-<pid>).
    QString claim(const QString &base, const QString &brokerUrl);

    static constexpr int kMaxSlots = 64;

private:
    QString m_dir;
    QHash<QString, QString> m_claimed; // base + broker -> id
    std::vector<std::unique_ptr<QLockFile>> m_locks;
};

} // namespace greenpulse::core
