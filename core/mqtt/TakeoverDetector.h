#pragma once

// Tells a takeover of our client id (another client connected with it, and the broker closed our
// connection for it) from an ordinary connection loss. MQTT 3.1.1 gives no reason: the broker
// just closes the socket. So: connections the broker closes soon after accepting them, several
// times in a row, are a takeover. (MQTT 5 brokers say so: reason code 142, "session taken over";
// that alone is enough.) A broker that restarts also closes connections, but then our next
// attempt fails while it is down: a failed attempt ends the streak. With a takeover every attempt
// succeeds at once. Plain logic on a monotonic clock in ms; MosquittoClient feeds it.

#include <QtGlobal>

namespace greenpulse::core {

class TakeoverDetector
{
public:
    // A connection lost within this long after its CONNACK is "short". The other client
    // reconnects on its own backoff (up to MqttOptions::reconnectMaxMs), so the window is at least
    // a bit more than that.
    static constexpr qint64 kMinShortMs = 5000;
    static constexpr int kShortInARow = 2;        // short connections in a row that make a takeover
    static constexpr int kSessionTakenOver = 142; // MQTT 5 reason code

    explicit TakeoverDetector(qint64 reconnectMaxMs = 0);

    void connected(qint64 nowMs);
    // The connection was lost (not by our own disconnect); `reasonCode` as libmosquitto gave it.
    // True when this loss is (part of) a takeover: it is then counted. A loss while not
    // connected is a failed attempt (attemptFailed()).
    bool lost(qint64 nowMs, int reasonCode);
    // An attempt to connect failed (the broker is away, not another client): the streak ends.
    void attemptFailed();

    bool suspected() const { return m_suspected; }
    // Still suspected at `nowMs`: until a connection has lasted the whole window.
    bool suspectedAt(qint64 nowMs) const
    {
        return m_suspected && (m_connectedAtMs < 0 || nowMs - m_connectedAtMs < m_windowMs);
    }
    quint64 count() const { return m_count; }
    qint64 shortWindowMs() const { return m_windowMs; }

private:
    qint64 m_windowMs;
    qint64 m_connectedAtMs = -1; // -1: not connected
    int m_shortInARow = 0;
    bool m_suspected = false;
    quint64 m_count = 0;
};

} // namespace greenpulse::core
