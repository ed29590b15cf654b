#include <gtest/gtest.h>

TEST(Placeholder, test_influxwriter) { SUCCEED(); }
