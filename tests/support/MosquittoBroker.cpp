#include "MosquittoBroker.h"

#include <QThread>
#include <QUrl>

namespace greenpulse::test {

bool MosquittoSubscriber::start(const QString &brokerUrlOrPort, const QString &topic,
                                const QStringList &extraArgs)
{
    QString port = brokerUrlOrPort;
    if (brokerUrlOrPort.contains(QLatin1Char(':'))) {
        port = QString::number(QUrl(brokerUrlOrPort).port(1883));
    }
    QStringList args{QStringLiteral("-h"),
                     QStringLiteral("127.0.0.1"),
                     QStringLiteral("-p"),
                     port,
                     QStringLiteral("-v"),
                     QStringLiteral("-q"),
                     QStringLiteral("1"),
                     QStringLiteral("-t"),
                     topic};
    args << extraArgs;
    if (!m_child.start(findExecutable(QStringLiteral("mosquitto_sub")), args)) {
        return false;
    }
    QThread::msleep(300); // let the subscription reach the broker
    return m_child.isRunning();
}

QList<QPair<QByteArray, QByteArray>> MosquittoSubscriber::messages()
{
    if (QProcess *p = m_child.process()) {
        p->waitForReadyRead(0);
        m_buffer += p->readAllStandardOutput();
    }
    int newline;
    while ((newline = m_buffer.indexOf('\n')) >= 0) {
        const QByteArray line = m_buffer.left(newline);
        m_buffer.remove(0, newline + 1);
        const int space = line.indexOf(' ');
        if (space > 0) {
            m_messages.append({line.left(space), line.mid(space + 1)});
        } else {
            m_messages.append({line, QByteArray()});
        }
    }
    return m_messages;
}

void MosquittoSubscriber::stop()
{
    messages();
    m_child.terminate(3000);
}

} // namespace greenpulse::test
