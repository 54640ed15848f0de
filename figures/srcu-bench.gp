# figures/srcu-bench.gp: nanoseconds per read section, by mechanism and
# number of threads (chapter 4, section "What the read side costs").
# Data: figures/srcu-bench.dat, index 0, written by `make bench`.
# The build adds the terminal and the output file.
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set logscale y
set yrange [0.3:*]
set ylabel "ns per read section (log scale)"
set termoption noenhanced
set xtics rotate by 30 right scale 0 nomirror
set bmargin 8
set key top left title "threads"
set grid ytics
plot for [i=3:*] 'figures/srcu-bench.dat' index 0 using i:xtic(2) title columnhead(i)
