// files: exercises a preopened directory the way programs do, and tries to leave it.
//   files DIR   writes DIR/out/report.txt (a copy of DIR/in.txt, upper-cased), renames it,
//               lists DIR/out, and prints the errno of each escape attempt.
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void attempt(const char *what, int result) {
    printf("%s: %s\n", what, result < 0 ? strerror(errno) : "succeeded");
}

int main(int argc, char **argv) {
    if (argc != 2) { fprintf(stderr, "usage: files DIR\n"); return 2; }
    char path[512], other[512];
    snprintf(path, sizeof path, "%s/in.txt", argv[1]);
    FILE *in = fopen(path, "r");
    if (!in) { perror(path); return 1; }
    snprintf(path, sizeof path, "%s/out", argv[1]);
    if (mkdir(path, 0755) < 0 && errno != EEXIST) { perror(path); return 1; }
    snprintf(path, sizeof path, "%s/out/draft.txt", argv[1]);
    FILE *out = fopen(path, "w");
    if (!out) { perror(path); return 1; }
    int c;
    while ((c = fgetc(in)) != EOF) fputc(toupper(c), out);
    fclose(in);
    fclose(out);
    snprintf(other, sizeof other, "%s/out/report.txt", argv[1]);
    if (rename(path, other) < 0) { perror("rename"); return 1; }

    snprintf(path, sizeof path, "%s/out", argv[1]);
    DIR *dir = opendir(path);
    struct dirent *entry;
    while (dir && (entry = readdir(dir)))
        if (entry->d_name[0] != '.') printf("listed %s\n", entry->d_name);
    if (dir) closedir(dir);

    snprintf(path, sizeof path, "%s/../../../../etc/passwd", argv[1]);
    attempt("open ../etc/passwd", open(path, O_RDONLY));
    attempt("open /etc/passwd", open("/etc/passwd", O_RDONLY));
    snprintf(path, sizeof path, "%s/escape", argv[1]);
    attempt("symlink to /etc", symlink("/etc", path));
    attempt("symlink to ..", symlink("../..", path));
    snprintf(path, sizeof path, "%s/escape/etc/passwd", argv[1]);
    attempt("open through it", open(path, O_RDONLY));
    snprintf(path, sizeof path, "%s/hostlink/passwd", argv[1]);
    attempt("open through the host's link", open(path, O_RDONLY));
    snprintf(path, sizeof path, "%s/out/report.txt", argv[1]);
    snprintf(other, sizeof other, "%s/../stolen.txt", argv[1]);
    attempt("rename out", rename(path, other));
    attempt("link out", link(path, other));
    return 0;
}
