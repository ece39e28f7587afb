#!/usr/bin/perl
# Lint ISO 2709 files with MARC::Lint; print one line per warning: FILE<TAB>RECORD_NUMBER<TAB>WARNING.
# A file MARC::Record cannot read at all prints FILE<TAB>0<TAB>DIED: reason.
use strict; use warnings;
use MARC::File::USMARC; use MARC::Lint;
binmode STDOUT, ':utf8';
for my $path (@ARGV) {
    my $lint = MARC::Lint->new;
    my $n = 0;
    my $ok = eval {
        my $file = MARC::File::USMARC->in($path) or die $MARC::File::ERROR;
        while (my $r = $file->next()) {
            $n++;
            $lint->check_record($r);
            print "$path\t$n\t$_\n" for ($r->warnings, $lint->warnings);
        }
        $file->close();
        1;
    };
    if (!$ok) { my $e = $@; $e =~ s/\s+$//; print "$path\t0\tDIED: $e\n"; }
    print "$path\t-1\tRECORDS $n\n";
}
