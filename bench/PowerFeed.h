#pragma once

// The synthetic power stream of the harness: `hosts` hosts, each sending one sample per round
// (one second apart on the samples' clock), attributed to `jobs` jobs (host h runs job h % jobs).
// Message k goes to host k % hosts in round k / hosts, so the hosts interleave like a fleet.
// Watts are exact in binary (n + 0.5), so the expected energy is exact too.

#include <QByteArray>
#include <QString>

namespace greenpulse::bench {

class PowerFeed
{
public:
    PowerFeed(int hosts, int jobs, qint64 startSeconds);

    static QByteArray topic() { return QByteArrayLiteral("greenpulse/raw/power"); }
    static double watts(int host, qint64 round);
    static QByteArray hostName(int host);
    QByteArray jobName(int host) const;
    // {"host":...,"watts":...,"job_id":...,"timestamp":<start + round>}
    QByteArray payload(int host, qint64 round) const;
    QByteArray payload(qint64 message) const { return payload(hostOf(message), roundOf(message)); }
    int hostOf(qint64 message) const { return static_cast<int>(message % m_hosts); }
    qint64 roundOf(qint64 message) const { return message / m_hosts; }

    // One payload per line (for mosquitto_pub -l).
    bool writeFile(const QString &path, qint64 messages, QString *error) const;
    // Trapezoid energy over consecutive samples of each host, in joules, of the first
    // `messages` messages: what the ledger must account.
    double expectedJoules(qint64 messages) const;

    int hosts() const { return m_hosts; }
    int jobs() const { return m_jobs; }
    qint64 startSeconds() const { return m_start; }

private:
    int m_hosts;
    int m_jobs;
    qint64 m_start;
};

} // namespace greenpulse::bench
