#pragma once

#include "TestSupport.h"

#include <QTemporaryDir>

namespace greenpulse::test {

// A real mosquitto on a free loopback port, its config, password file and persistence in a
// temporary folder. Stop and start it again on the same port to simulate an outage.
class MosquittoBroker
{
public:
    struct Config
    {
        QString username; // non-empty: anonymous access off, this user with `password` only
        QString password;
        bool tls = false; // a second listener with a certificate made by openssl
        int maxQueuedMessages = 0; // 0: mosquitto's default
        bool persistence = false;
    };

    MosquittoBroker();
    explicit MosquittoBroker(Config config);
    ~MosquittoBroker();

    bool start();  // waits until the port accepts connections
    void stop();   // SIGTERM, wait
    bool restart() { stop(); return start(); }
    bool isRunning() const { return m_child.isRunning(); }

    quint16 port() const { return m_port; }
    quint16 tlsPort() const { return m_tlsPort; }
    QString url() const; // tcp://127.0.0.1:<port>
    QString tlsUrl() const; // ssl://127.0.0.1:<tlsPort>
    QString caFile() const; // the CA certificate clients must trust (tls only)
    QString dir() const { return m_dir.path(); }
    QByteArray log(); // mosquitto's stderr so far
    QString lastError() const { return m_error; }

private:
    bool writeConfig();
    bool makeCertificates();

    Config m_config;
    QTemporaryDir m_dir;
    quint16 m_port = 0;
    quint16 m_tlsPort = 0;
    Child m_child;
    QString m_error;
};

// Subscribes with mosquitto_sub (-v, QoS 1) in the background and collects "topic payload" lines.
class MosquittoSubscriber
{
public:
    bool start(const QString &brokerUrlOrPort, const QString &topic = QStringLiteral("greenpulse/#"),
               const QStringList &extraArgs = {});
    QList<QPair<QByteArray, QByteArray>> messages(); // (topic, payload) so far
    void stop();

private:
    Child m_child;
    QByteArray m_buffer;
    QList<QPair<QByteArray, QByteArray>> m_messages;
};

} // namespace greenpulse::test
