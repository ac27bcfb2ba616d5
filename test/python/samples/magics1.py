# Line magics, shell escapes and help are masked; assignment forms still bind.
# defines: files env res
# reads: fn
%matplotlib inline
!pip install pandas
files = !ls -la
env = %env
%time res = fn(2)
fn?
??fn
