#include <gtest/gtest.h>

TEST(Placeholder, test_protocol) { SUCCEED(); }
