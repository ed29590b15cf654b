#include "PowerFeed.h"

#include <QFile>

namespace greenpulse::bench {

PowerFeed::PowerFeed(int hosts, int jobs, qint64 startSeconds)
    : m_hosts(qMax(1, hosts)), m_jobs(qMax(1, jobs)), m_start(startSeconds)
{}

double PowerFeed::watts(int host, qint64 round)
{
    return 100.0 + static_cast<double>((host * 7 + round * 13) % 400) + 0.5;
}

QByteArray PowerFeed::hostName(int host)
{
    return "gpu-" + QByteArray::number(host).rightJustified(5, '0');
}

QByteArray PowerFeed::jobName(int host) const
{
    return "bench_job_" + QByteArray::number(host % m_jobs).rightJustified(4, '0');
}

QByteArray PowerFeed::payload(int host, qint64 round) const
{
    QByteArray out;
    out.reserve(96);
    out += "{\"host\":\"";
    out += hostName(host);
    out += "\",\"watts\":";
    out += QByteArray::number(watts(host, round), 'f', 1);
    out += ",\"job_id\":\"";
    out += jobName(host);
    out += "\",\"timestamp\":";
    out += QByteArray::number(m_start + round);
    out += '}';
    return out;
}

bool PowerFeed::writeFile(const QString &path, qint64 messages, QString *error) const
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        *error = file.errorString();
        return false;
    }
    QByteArray chunk;
    chunk.reserve(1 << 20);
    for (qint64 k = 0; k < messages; ++k) {
        chunk += payload(k);
        chunk += '\n';
        if (chunk.size() > (1 << 20) - 200) {
            file.write(chunk);
            chunk.clear();
        }
    }
    file.write(chunk);
    return file.flush();
}

double PowerFeed::expectedJoules(qint64 messages) const
{
    double joules = 0;
    for (int h = 0; h < m_hosts; ++h) {
        const qint64 n = messages / m_hosts + (h < messages % m_hosts ? 1 : 0);
        for (qint64 r = 1; r < n; ++r) {
            joules += (watts(h, r - 1) + watts(h, r)) / 2.0; // one second apart
        }
    }
    return joules;
}

} // namespace greenpulse::bench
