<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru">
<context>
    <name>CompareBox</name>
    <message>
        <source>Compare two initialisations</source>
        <translation>Сравнить две инициализации</translation>
    </message>
    <message>
        <source>Compare</source>
        <translation>Сравнить</translation>
    </message>
    <message>
        <source>Train the graph from each initialisation and overlay the two loss curves</source>
        <translation>Обучить граф от каждой из двух инициализаций и наложить их кривые функции потерь</translation>
    </message>
    <message>
        <source>vs</source>
        <translation>и</translation>
    </message>
</context>
<context>
    <name>DatasetEditor</name>
    <message>
        <source>+ row</source>
        <translation>+ наблюдение</translation>
    </message>
    <message>
        <source>Add an observation (a copy of the last)</source>
        <translation>Добавить наблюдение (копию последнего)</translation>
    </message>
    <message>
        <source>− rows</source>
        <translation>− наблюдения</translation>
    </message>
    <message>
        <source>Remove the selected observations</source>
        <translation>Удалить выбранные наблюдения</translation>
    </message>
    <message>
        <source>clear column</source>
        <translation>очистить столбец</translation>
    </message>
    <message>
        <source>Stop feeding the selected column&apos;s input from the dataset</source>
        <translation>Больше не подавать на вход выбранного столбца значения из набора данных</translation>
    </message>
    <message>
        <source>Import CSV…</source>
        <translation>Импорт CSV…</translation>
    </message>
    <message>
        <source>Replace the dataset with a CSV file (header: input ids, x[0], x[1] …)</source>
        <translation>Заменить набор данных файлом CSV (заголовок: имена входов, x[0], x[1] …)</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>Экспорт CSV…</translation>
    </message>
    <message>
        <source>Save the dataset as CSV</source>
        <translation>Сохранить набор данных в CSV</translation>
    </message>
    <message>
        <source> (not fed)</source>
        <translation> (не подаётся)</translation>
    </message>
    <message>
        <source>type here to add an observation</source>
        <translation>введите значение, чтобы добавить наблюдение</translation>
    </message>
    <message>
        <source>a cell cannot be empty (use “clear column” to stop feeding an input)</source>
        <translation>ячейка не может быть пустой (чтобы вход больше не брал значения из набора, нажмите «очистить столбец»)</translation>
    </message>
    <message>
        <source>row {row}, {name}: {error}</source>
        <translation>наблюдение {row}, {name}: {error}</translation>
    </message>
    <message>
        <source>row {row}, {name} = {text}</source>
        <translation>наблюдение {row}: {name} = {text}</translation>
    </message>
    <message>
        <source>row added</source>
        <translation>наблюдение добавлено</translation>
    </message>
    <message numerus="yes">
        <source>removed %n row(s)</source>
        <translation>
            <numerusform>удалено %n наблюдение</numerusform>
            <numerusform>удалено %n наблюдения</numerusform>
            <numerusform>удалено %n наблюдений</numerusform>
        </translation>
    </message>
    <message>
        <source>{name} is no longer fed</source>
        <translation>{name} больше не берёт значения из набора данных</translation>
    </message>
    <message>
        <source>cannot read {path}: {reason}</source>
        <translation>не удалось прочитать {path}: {reason}</translation>
    </message>
    <message>
        <source>imported {path}</source>
        <translation>импортировано: {path}</translation>
    </message>
    <message>
        <source>Import dataset</source>
        <translation>Импорт набора данных</translation>
    </message>
    <message>
        <source>CSV (*.csv);;All files (*)</source>
        <translation>CSV (*.csv);;Все файлы (*)</translation>
    </message>
    <message>
        <source>Export dataset</source>
        <translation>Экспорт набора данных</translation>
    </message>
    <message>
        <source>Dataset</source>
        <translation>Набор данных</translation>
    </message>
</context>
<context>
    <name>GenerateDialog</name>
    <message>
        <source>circle</source>
        <translation>круг</translation>
    </message>
    <message>
        <source>xor</source>
        <translation>XOR</translation>
    </message>
    <message>
        <source>gaussians</source>
        <translation>гауссовы облака</translation>
    </message>
    <message>
        <source>spiral</source>
        <translation>спираль</translation>
    </message>
    <message>
        <source>two moons</source>
        <translation>две луны</translation>
    </message>
    <message>
        <source>plane</source>
        <translation>плоскость</translation>
    </message>
    <message>
        <source>multi-gaussian</source>
        <translation>смесь гауссиан</translation>
    </message>
    <message>
        <source>{kind} (regression)</source>
        <translation>{kind} (регрессия)</translation>
    </message>
    <message>
        <source>generate {kind} ({n} points)</source>
        <translation>создать набор «{kind}» (точек: {n})</translation>
    </message>
    <message>
        <source>Generate a data set</source>
        <translation>Создать набор данных</translation>
    </message>
    <message>
        <source>data set</source>
        <translation>набор данных</translation>
    </message>
    <message>
        <source>points</source>
        <translation>число точек</translation>
    </message>
    <message>
        <source>noise (0–1)</source>
        <translation>шум (0–1)</translation>
    </message>
    <message>
        <source>seed</source>
        <translation>зерно</translation>
    </message>
    <message>
        <source>test share</source>
        <translation>доля тестовой выборки</translation>
    </message>
    <message>
        <source>points into</source>
        <translation>вход для точек</translation>
    </message>
    <message>
        <source>targets into</source>
        <translation>вход для целевых значений</translation>
    </message>
    <message>
        <source>The graph needs an input of two numbers (the points) and one of one number (the target).</source>
        <translation>Графу нужен вход из двух чисел (для точек) и вход из одного числа (для целевого значения).</translation>
    </message>
    <message>
        <source>&amp;Dataset</source>
        <translation>&amp;Данные</translation>
    </message>
    <message>
        <source>&amp;Generate…</source>
        <translation>&amp;Создать…</translation>
    </message>
    <message>
        <source>TensorFlow Playground&apos;s data sets and two moons, with noise, size, seed and a test share</source>
        <translation>Готовые наборы данных (круг, XOR, гауссовы облака, спираль, две луны, регрессия) с шумом, числом точек, зерном и долей тестовой выборки</translation>
    </message>
</context>
<context>
    <name>InitTable</name>
    <message>
        <source>(current value)</source>
        <translation>(текущее значение)</translation>
    </message>
    <message>
        <source>zeros</source>
        <translation>нули</translation>
    </message>
    <message>
        <source>ones</source>
        <translation>единицы</translation>
    </message>
    <message>
        <source>constant</source>
        <translation>константа</translation>
    </message>
    <message>
        <source>uniform</source>
        <translation>равномерное</translation>
    </message>
    <message>
        <source>normal</source>
        <translation>нормальное</translation>
    </message>
    <message>
        <source>xavier_uniform</source>
        <translation>Xavier (равномерное)</translation>
    </message>
    <message>
        <source>xavier_normal</source>
        <translation>Xavier (нормальное)</translation>
    </message>
    <message>
        <source>he_uniform</source>
        <translation>He (равномерное)</translation>
    </message>
    <message>
        <source>he_normal</source>
        <translation>He (нормальное)</translation>
    </message>
    <message>
        <source>lecun_uniform</source>
        <translation>LeCun (равномерное)</translation>
    </message>
    <message>
        <source>lecun_normal</source>
        <translation>LeCun (нормальное)</translation>
    </message>
    <message>
        <source>Initialisers</source>
        <translation>Инициализация</translation>
    </message>
    <message>
        <source>parameter</source>
        <translation>параметр</translation>
    </message>
    <message>
        <source>kind</source>
        <translation>способ</translation>
    </message>
    <message>
        <source>arguments</source>
        <translation>аргументы</translation>
    </message>
    <message>
        <source>seed</source>
        <translation>зерно</translation>
    </message>
    <message>
        <source>Re-initialise</source>
        <translation>Инициализировать заново</translation>
    </message>
    <message>
        <source>Draw every parameter from its initialiser (the same seed gives the same start)</source>
        <translation>Заново задать каждый параметр его способом инициализации (то же зерно — те же начальные значения)</translation>
    </message>
    <message>
        <source>argument {part}: write key=number, e.g. value=0.5</source>
        <translation>аргумент {part}: пишите имя=число, например value=0.5</translation>
    </message>
    <message>
        <source>seed {seed} is not a whole number</source>
        <translation>зерно {seed} — не целое число</translation>
    </message>
</context>
<context>
    <name>RunControls</name>
    <message>
        <source>▶ Start</source>
        <translation>▶ Пуск</translation>
    </message>
    <message>
        <source>Train (or resume) in the background</source>
        <translation>Обучать в фоне (или продолжить обучение)</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Пауза</translation>
    </message>
    <message>
        <source>Pause; Start resumes, Stop keeps the values</source>
        <translation>Приостановить; «Пуск» продолжит, «Стоп» сохранит значения</translation>
    </message>
    <message>
        <source>+1 update</source>
        <translation>+1 шаг</translation>
    </message>
    <message>
        <source>Do one update</source>
        <translation>Сделать один шаг градиентного спуска</translation>
    </message>
    <message>
        <source>■ Stop</source>
        <translation>■ Стоп</translation>
    </message>
    <message>
        <source>Stop and write the trained values into the graph</source>
        <translation>Остановить и записать обученные значения в граф</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>пауза</translation>
    </message>
    <message>
        <source>finished</source>
        <translation>готово</translation>
    </message>
    <message>
        <source>converged</source>
        <translation>сошлось</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>остановлено</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>сбой</translation>
    </message>
    <message>
        <source>{last}: the loss of the batch (or observation) that the last update used, computed with the parameters before that update.
{mean}: the loss of every observation with the current parameters, averaged (shown when the run pauses or ends).
The L in the status bar is the loss of the one observation that the canvas shows.</source>
        <translation>{last}: считается на батче (или наблюдении), по которому сделан последний шаг, с параметрами до этого шага.
{mean}: функция потерь на каждом наблюдении с текущими параметрами, усреднённая по набору (показывается на паузе и в конце обучения).
L в строке состояния — функция потерь на том наблюдении, которое показано на холсте.</translation>
    </message>
    <message>
        <source>ready</source>
        <translation>готово к обучению</translation>
    </message>
    <message>
        <source>▶ Resume</source>
        <translation>▶ Продолжить</translation>
    </message>
    <message>
        <source>,</source>
        <comment>thousands separator</comment>
        <translation>&#xa0;</translation>
    </message>
    <message>
        <source>{rate} updates/s</source>
        <translation>{rate} шагов/с</translation>
    </message>
    <message>
        <source>epoch {epoch}/{epochs} · update {update}/{total}</source>
        <translation>эпоха {epoch}/{epochs} · шаг {update}/{total}</translation>
    </message>
    <message>
        <source>{state} · epoch {epoch}/{epochs} · update {update}/{total}</source>
        <translation>{state} · эпоха {epoch}/{epochs} · шаг {update}/{total}</translation>
    </message>
</context>
<context>
    <name>SettingsForm</name>
    <message>
        <source>sgd</source>
        <translation>SGD</translation>
    </message>
    <message>
        <source>adam</source>
        <translation>Adam</translation>
    </message>
    <message>
        <source>sample</source>
        <translation>по одному наблюдению</translation>
    </message>
    <message>
        <source>minibatch</source>
        <translation>мини-батчи</translation>
    </message>
    <message>
        <source>batch</source>
        <translation>весь набор</translation>
    </message>
    <message>
        <source>sequential</source>
        <translation>как в наборе</translation>
    </message>
    <message>
        <source>reverse</source>
        <translation>обратный</translation>
    </message>
    <message>
        <source>shuffle</source>
        <translation>случайный</translation>
    </message>
    <message>
        <source>custom</source>
        <translation>свой</translation>
    </message>
    <message>
        <source>Settings (stored in the file)</source>
        <translation>Настройки (хранятся в файле)</translation>
    </message>
    <message>
        <source>e.g. 2, 1 (observation numbers)</source>
        <translation>номера наблюдений: 2, 1 …</translation>
    </message>
    <message>
        <source>stop below</source>
        <translation>стоп, если меньше</translation>
    </message>
    <message>
        <source>optimizer</source>
        <translation>оптимизатор</translation>
    </message>
    <message>
        <source>learning rate</source>
        <translation>скорость обучения η</translation>
    </message>
    <message>
        <source>momentum</source>
        <translation>момент</translation>
    </message>
    <message>
        <source>mode</source>
        <translation>режим</translation>
    </message>
    <message>
        <source>batch size</source>
        <translation>размер мини-батча</translation>
    </message>
    <message>
        <source>order</source>
        <translation>порядок</translation>
    </message>
    <message>
        <source>seed</source>
        <translation>зерно</translation>
    </message>
    <message>
        <source>epochs</source>
        <translation>число эпох</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>функция потерь</translation>
    </message>
    <message>
        <source>settings in the file: {problem}</source>
        <translation>настройки в файле: {problem}</translation>
    </message>
</context>
<context>
    <name>SymmetryView</name>
    <message>
        <source>The symmetry view compares the units of a layer (x·W + b, then an activation, then ·V): each unit&apos;s incoming weights, bias and outgoing weights. This graph has no layer with two units or more.</source>
        <translation>Панель «Симметрия» сравнивает нейроны слоя (x·W + b, затем функция активации, затем ·V): у каждого нейрона его входящие веса, смещение и исходящие веса. В этом графе нет слоя из двух нейронов или больше.</translation>
    </message>
    <message>
        <source>units of {layer} · blue −{m} … red +{m}</source>
        <translation>нейроны {layer} · синий −{m} … красный +{m}</translation>
    </message>
    <message>
        <source>in: {name}</source>
        <translation>вход: {name}</translation>
    </message>
    <message>
        <source>out: {name}</source>
        <translation>выход: {name}</translation>
    </message>
    <message>
        <source>{layer}: units {units} identical</source>
        <translation>{layer}: нейроны {units} одинаковы</translation>
    </message>
    <message>
        <source> (same incoming weights, bias and outgoing weights)</source>
        <translation> (одинаковые входящие веса, смещение и исходящие веса)</translation>
    </message>
    <message>
        <source>no identical units</source>
        <translation>одинаковых нейронов нет</translation>
    </message>
</context>
<context>
    <name>TrainingPanel</name>
    <message>
        <source>Train</source>
        <translation>Обучить</translation>
    </message>
    <message>
        <source>Pause training</source>
        <translation>Пауза</translation>
    </message>
    <message>
        <source>One update</source>
        <translation>Один шаг</translation>
    </message>
    <message>
        <source>Stop training</source>
        <translation>Стоп</translation>
    </message>
    <message>
        <source>Re-initialise parameters</source>
        <translation>Инициализировать параметры заново</translation>
    </message>
    <message>
        <source>parameters re-initialised</source>
        <translation>параметры инициализированы заново</translation>
    </message>
    <message>
        <source>cannot train: {error}</source>
        <translation>обучение невозможно: {error}</translation>
    </message>
    <message>
        <source>the training process ended unexpectedly (exit code {code})</source>
        <translation>процесс обучения неожиданно завершился (код выхода {code})</translation>
    </message>
    <message>
        <source>comparison failed: {message}</source>
        <translation>сравнение не удалось: {message}</translation>
    </message>
    <message>
        <source>training failed: {message}</source>
        <translation>обучение прервано ошибкой: {message}</translation>
    </message>
    <message numerus="yes">
        <source>Train: %n update(s)</source>
        <translation>
            <numerusform>Обучение: %n шаг</numerusform>
            <numerusform>Обучение: %n шага</numerusform>
            <numerusform>Обучение: %n шагов</numerusform>
        </translation>
    </message>
    <message>
        <source>comparing {a} and {b}, {epochs} each …</source>
        <translation>сравниваем «{a}» и «{b}» ({epochs} на каждую) …</translation>
    </message>
    <message numerus="yes">
        <source>%n epoch(s)</source>
        <translation>
            <numerusform>%n эпоха</numerusform>
            <numerusform>%n эпохи</numerusform>
            <numerusform>%n эпох</numerusform>
        </translation>
    </message>
    <message>
        <source>n/a</source>
        <translation>н/д</translation>
    </message>
    <message>
        <source>comparison done · {mean} after training: {finals}</source>
        <translation>сравнение готово · {mean} после обучения: {finals}</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>Обучение</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>Функция потерь</translation>
    </message>
    <message>
        <source>Activation</source>
        <translation>Активация</translation>
    </message>
    <message>
        <source>Gradient norms</source>
        <translation>Нормы градиентов</translation>
    </message>
    <message>
        <source>Symmetry</source>
        <translation>Симметрия</translation>
    </message>
</context>
</TS>
