#include <cstdio>
int main() { std::puts("gongdan"); }
