/* embed: a build tool that turns a file into C source.
 *
 *   embed INPUT OUTPUT.c SYMBOL
 *
 * writes `const unsigned char SYMBOL[]` holding the file's bytes followed
 * by a NUL (so text can be used as a C string) and `const size_t
 * SYMBOL_len` (the length without that NUL). Used by meson to compile data
 * sets, documentation and logos into the programs. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: embed INPUT OUTPUT.c SYMBOL\n");
        return 2;
    }
    FILE *in = fopen(argv[1], "rb");
    if (!in) {
        perror(argv[1]);
        return 1;
    }
    FILE *out = fopen(argv[2], "w");
    if (!out) {
        perror(argv[2]);
        fclose(in);
        return 1;
    }
    fprintf(out, "#include <stddef.h>\nconst unsigned char %s[] = {", argv[3]);
    size_t n = 0;
    int c;
    while ((c = getc(in)) != EOF)
        fprintf(out, "%s%d,", n++ % 24 ? "" : "\n", c);
    fprintf(out, "0};\nconst size_t %s_len = %zu;\n", argv[3], n);
    int bad = ferror(in) || ferror(out);
    fclose(in);
    if (fclose(out) != 0 || bad) {
        fprintf(stderr, "embed: error writing %s\n", argv[2]);
        return 1;
    }
    return 0;
}
